using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Common;

namespace BindingService.Application.DeliveryOrders.ChangeDeliveryCourier;

/// <summary>Another courier takes the delivery: B becomes the new courier (UpdateSubscription updateNoB).</summary>
public sealed record ChangeDeliveryCourier(string CallerId, string OrderId, string? CourierPhone);

public sealed class ChangeDeliveryCourierHandler(BindingLifecycle lifecycle)
{
    public async Task<Result<DeliveryProtection>> HandleAsync(ChangeDeliveryCourier request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (DeliveryOrders.Target(request.CallerId, request.OrderId) is not { } target)
        {
            return BindingErrors.OrderNotFound;
        }

        if (!PhoneNumber.TryParse(request.CourierPhone, out var courier))
        {
            return DeliveryValidation.Field("courierPhone", DeliveryValidation.PhoneRule);
        }

        var change = LifecycleChange.PartyB(courier, DeliveryValidation.Field("courierPhone", "Must differ from the customer's number."));
        return DeliveryOrders.View(await lifecycle.ChangeAsync(target, change, cancellationToken));
    }
}
