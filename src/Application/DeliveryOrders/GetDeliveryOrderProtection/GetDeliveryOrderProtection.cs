using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Application.DeliveryOrders.PickUpWaybills;

namespace BindingService.Application.DeliveryOrders.GetDeliveryOrderProtection;

/// <summary>
/// Read a delivery order's protection: the open binding if any, else the latest one (one past its expiry is ended first),
/// with the order's pickup waybill when it has one.
/// </summary>
public sealed record GetDeliveryOrderProtection(string CallerId, string OrderId);

public sealed class GetDeliveryOrderProtectionHandler(BindingLifecycle lifecycle, IPickUpWaybills waybills)
{
    public async Task<Result<DeliveryProtection>> HandleAsync(GetDeliveryOrderProtection request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (DeliveryOrders.Target(request.CallerId, request.OrderId) is not { } target)
        {
            return BindingErrors.OrderNotFound;
        }

        var view = DeliveryOrders.View(await lifecycle.ReadAsync(target, cancellationToken));
        return view.Error is { } error
            ? error
            : view.Value! with { PickUpWaybill = await waybills.LatestAsync(request.CallerId, request.OrderId, cancellationToken) };
    }
}
