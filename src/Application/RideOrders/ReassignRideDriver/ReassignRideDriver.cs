using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Common;

namespace BindingService.Application.RideOrders.ReassignRideDriver;

/// <summary>Reassign a ride order's driver: B of the AXB binding becomes <paramref name="DriverPhone"/> (UpdateSubscription updateNoB).</summary>
public sealed record ReassignRideDriver(string CallerId, string OrderId, string? DriverPhone);

public sealed class ReassignRideDriverHandler(BindingLifecycle lifecycle)
{
    public async Task<Result<RideProtection>> HandleAsync(ReassignRideDriver request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!PhoneNumber.TryParse(request.DriverPhone, out var driver))
        {
            return RideOrders.Invalid("driverPhone", "Required: an 11-digit mainland mobile number or a landline with area code, digits only.");
        }

        var change = LifecycleChange.PartyB(driver, RideOrders.Invalid("driverPhone", "Must differ from the passenger's number."));
        return await RideOrders.ChangeAsync(lifecycle, request.CallerId, request.OrderId, change, cancellationToken);
    }
}
