using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.RideOrders.SetRideCallRestriction;

/// <summary>
/// Set or clear the one-way call restriction of a ride order's protection (UpdateSubscription updateCallRestrict):
/// <c>passengerCannotCall</c> (CONTROL_AX_DISABLE), <c>driverCannotCall</c> (CONTROL_BX_DISABLE), <c>none</c> (CONTROL_CLEAR_DISABLE).
/// </summary>
public sealed record SetRideCallRestriction(string CallerId, string OrderId, string? Restriction);

public sealed class SetRideCallRestrictionHandler(RideProtectionChanger changer)
{
    public Task<Result<RideProtection>> HandleAsync(SetRideCallRestriction request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!RideCallRestrictions.TryParse(request.Restriction, out var restriction))
        {
            var errors = new ValidationErrors();
            errors.Add("restriction", "Required: one of none, passengerCannotCall, driverCannotCall.");
            return Task.FromResult<Result<RideProtection>>(errors.ToError());
        }

        return changer.ChangeAsync(request.CallerId, request.OrderId, "restrict calls", (binding, _) =>
            restriction == binding.CallRestriction
                ? RideChangePlan.Unchanged
                : RideChangePlan.Change(
                    new SubscriptionUpdate.ChangeCallRestriction(new SubscriptionRef(binding.PoolKey, binding.SubsId!, binding.SecretNo!), restriction),
                    (b, now) => b.SetCallRestriction(restriction, now)),
            cancellationToken);
    }
}
