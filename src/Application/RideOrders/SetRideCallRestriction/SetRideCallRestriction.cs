using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Application.RideOrders.SetRideCallRestriction;

/// <summary>
/// Set or clear the one-way call restriction of a ride order's protection (UpdateSubscription updateCallRestrict):
/// <c>passengerCannotCall</c> (CONTROL_AX_DISABLE), <c>driverCannotCall</c> (CONTROL_BX_DISABLE), <c>none</c> (CONTROL_CLEAR_DISABLE).
/// </summary>
public sealed record SetRideCallRestriction(string CallerId, string OrderId, string? Restriction);

public sealed class SetRideCallRestrictionHandler(BindingLifecycle lifecycle)
{
    public async Task<Result<RideProtection>> HandleAsync(SetRideCallRestriction request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!RideCallRestrictions.TryParse(request.Restriction, out var restriction))
        {
            return RideOrders.Invalid("restriction", "Required: one of none, passengerCannotCall, driverCannotCall.");
        }

        return await RideOrders.ChangeAsync(lifecycle, request.CallerId, request.OrderId, LifecycleChange.CallRestriction(restriction), cancellationToken);
    }
}
