using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Application.DeliveryOrders.PickUpWaybills;

/// <summary>Read a delivery order's pickup waybill: the open one, else the latest.</summary>
public sealed record GetPickUpWaybill(string CallerId, string OrderId);

public sealed class GetPickUpWaybillHandler(BindingLifecycle lifecycle, IPickUpWaybills waybills)
{
    public async Task<Result<PickUpWaybillView>> HandleAsync(GetPickUpWaybill request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((await PickUpWaybillDeliveries.FindAsync(lifecycle, request.CallerId, request.OrderId, cancellationToken)).Error is { } error)
        {
            return error;
        }

        return await waybills.LatestAsync(request.CallerId, request.OrderId, cancellationToken) is { } waybill ? waybill : PickUpWaybillErrors.NotFound;
    }
}
