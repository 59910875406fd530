using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Common;

namespace BindingService.Application.RideOrders.ReassignRideDriver;

/// <summary>Reassign a ride order's driver: B of the AXB binding becomes <paramref name="DriverPhone"/> (UpdateSubscription updateNoB).</summary>
public sealed record ReassignRideDriver(string CallerId, string OrderId, string? DriverPhone);

public sealed class ReassignRideDriverHandler(RideProtectionChanger changer)
{
    public Task<Result<RideProtection>> HandleAsync(ReassignRideDriver request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!PhoneNumber.TryParse(request.DriverPhone, out var driver))
        {
            var errors = new ValidationErrors();
            errors.Add("driverPhone", "Required: an 11-digit mainland mobile number or a landline with area code, digits only.");
            return Task.FromResult<Result<RideProtection>>(errors.ToError());
        }

        return changer.ChangeAsync(request.CallerId, request.OrderId, "reassign the driver", (binding, _) =>
        {
            if (driver == binding.PartyA)
            {
                var errors = new ValidationErrors();
                errors.Add("driverPhone", "Must differ from the passenger's number.");
                return RideChangePlan.Refuse(errors.ToError());
            }

            return driver == binding.PartyB
                ? RideChangePlan.Unchanged
                : RideChangePlan.Change(
                    new SubscriptionUpdate.ChangePartyB(new SubscriptionRef(binding.PoolKey, binding.SubsId!, binding.SecretNo!), driver),
                    (b, now) => b.ReassignPartyB(driver, now));
        }, cancellationToken);
    }
}
