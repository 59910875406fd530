using BindingService.Application.Bindings;
using BindingService.Application.Common;
using Microsoft.Extensions.Options;

namespace BindingService.Application.RideOrders.CompleteRide;

/// <summary>
/// The trip ended: the protection stays usable for a post-trip grace period (lost-item calls) and then ends by
/// expiry. The provider's expiry moves to now + grace (UpdateSubscription updateExpire) and the binding records
/// when the trip completed. Completing again changes nothing.
/// </summary>
public sealed record CompleteRide(string CallerId, string OrderId, TimeSpan? Grace);

public sealed class CompleteRideHandler(BindingLifecycle lifecycle, IOptions<ProtectionOptions> options)
{
    public async Task<Result<RideProtection>> HandleAsync(CompleteRide request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var grace = request.Grace ?? settings.PostTripGrace;
        if (Validate(grace, settings) is { } invalid)
        {
            return invalid;
        }

        return await RideOrders.ChangeAsync(lifecycle, request.CallerId, request.OrderId, LifecycleChange.Complete(grace), cancellationToken);
    }

    /// <summary>
    /// Null when valid: the grace lies between <see cref="ProtectionOptions.MinTtl"/> (the provider needs an expiry
    /// more than a minute ahead) and <see cref="ProtectionOptions.MaxTtl"/>.
    /// </summary>
    public static Error? Validate(TimeSpan grace, ProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors();
        if (grace < options.MinTtl)
        {
            errors.Add("grace", $"Must be at least {options.MinTtl:c} (hh:mm:ss).");
        }
        else if (grace > options.MaxTtl)
        {
            errors.Add("grace", $"Must be at most {options.MaxTtl:c} (d.hh:mm:ss).");
        }

        return errors.IsEmpty ? null : errors.ToError();
    }
}
