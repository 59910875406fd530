using BindingService.Application.Abstractions;
using BindingService.Application.Common;

namespace BindingService.Application.Bindings;

/// <summary>Translates provider failures into our errors. No provider text ever reaches a caller.</summary>
public static class ProviderErrors
{
    public static Error ToError(ProviderError error, string poolKey, string? city)
    {
        if (error.OutcomeUnknown)
        {
            return Error.Unavailable("provider.outcome_unknown", "The provider did not answer in time; the request may still take effect. Retry the same request.", TimeSpan.FromSeconds(5));
        }

        return error.Kind switch
        {
            ProviderErrorKind.NoNumberAvailable => Error.Unavailable(
                "pool.exhausted",
                $"No virtual number is available in pool {poolKey}{(string.IsNullOrEmpty(city) ? string.Empty : $" for city {city}")}.",
                TimeSpan.FromSeconds(30)),
            ProviderErrorKind.BindConflict => Error.Conflict("binding.conflict", "A party already has a binding on the virtual number."),
            ProviderErrorKind.PhoneNumberIllegal => Error.Unprocessable("phone.rejected", "The provider rejected a phone number."),
            ProviderErrorKind.ExpiryIllegal => Error.Unprocessable("expiry.rejected", "The provider rejected the expiry time."),
            ProviderErrorKind.InvalidRequest => Error.Unprocessable("provider.request_rejected", "The provider rejected the request as invalid."),
            ProviderErrorKind.Forbidden => Error.Unprocessable("provider.forbidden", "The provider refused the operation for this pool or number."),
            ProviderErrorKind.SubscriptionNotFound => Error.Conflict("binding.gone", "The provider no longer has this binding."),
            ProviderErrorKind.Throttled => Error.Unavailable("provider.throttled", "The provider is throttling requests.", TimeSpan.FromSeconds(1)),
            ProviderErrorKind.AuthenticationFailed => Error.Unavailable("provider.misconfigured", "The provider refused our credentials.", TimeSpan.FromSeconds(60)),
            ProviderErrorKind.PoolNotFound => Error.Unavailable("provider.pool_misconfigured", $"The provider does not know the number pool {poolKey}: the service's pool configuration must be fixed.", TimeSpan.FromSeconds(60)),
            _ => Error.Unavailable("provider.unavailable", "The number protection provider is unavailable.", TimeSpan.FromSeconds(5)),
        };
    }

    /// <summary>
    /// True when the bind definitely did not happen (any answer but an unknown outcome: a refusal, throttling, an
    /// outage before the request left), so the binding can be marked Failed and a retry starts afresh. Only an unknown
    /// outcome (timeout, lost connection after sending) leaves it Pending for reconciliation.
    /// </summary>
    public static bool IsDefinitive(ProviderError error) => !error.OutcomeUnknown;
}
