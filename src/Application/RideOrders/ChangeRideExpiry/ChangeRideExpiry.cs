using BindingService.Application.Bindings;
using BindingService.Application.Common;
using Microsoft.Extensions.Options;

namespace BindingService.Application.RideOrders.ChangeRideExpiry;

/// <summary>Extend or shorten a ride order's protection: it now ends at <paramref name="ExpiresAt"/> (UpdateSubscription updateExpire).</summary>
public sealed record ChangeRideExpiry(string CallerId, string OrderId, DateTimeOffset? ExpiresAt);

public sealed class ChangeRideExpiryHandler(BindingLifecycle lifecycle, IOptions<ProtectionOptions> options, TimeProvider clock)
{
    public async Task<Result<RideProtection>> HandleAsync(ChangeRideExpiry request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Validate(request.ExpiresAt, clock.GetUtcNow(), options.Value) is { } invalid)
        {
            return invalid;
        }

        return await RideOrders.ChangeAsync(lifecycle, request.CallerId, request.OrderId, LifecycleChange.Expiry(request.ExpiresAt!.Value), cancellationToken);
    }

    /// <summary>Null when valid: between <see cref="ProtectionOptions.MinTtl"/> and <see cref="ProtectionOptions.MaxTtl"/> from now.</summary>
    public static Error? Validate(DateTimeOffset? expiresAt, DateTimeOffset now, ProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors();
        if (expiresAt is not { } value)
        {
            errors.Add("expiresAt", "Required: when the protection ends (ISO 8601, UTC or with an offset).");
        }
        else if (value < now + options.MinTtl)
        {
            errors.Add("expiresAt", $"Must be at least {options.MinTtl.TotalMinutes:0} minutes from now.");
        }
        else if (value > now + options.MaxTtl)
        {
            errors.Add("expiresAt", $"Must be at most {options.MaxTtl.TotalDays:0.#} days from now.");
        }

        return errors.IsEmpty ? null : errors.ToError();
    }
}
