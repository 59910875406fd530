using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Application.DeliveryOrders.PickUpWaybills;

/// <summary>Cancel a delivery order's pickup (CancelPickUpWaybill). Idempotent: a cancelled waybill is answered as it is.</summary>
public sealed record CancelPickUpWaybill(string CallerId, string OrderId);

public sealed class CancelPickUpWaybillHandler(BindingLifecycle lifecycle, IPickUpWaybills waybills)
{
    public async Task<Result<PickUpWaybillView>> HandleAsync(CancelPickUpWaybill request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await PickUpWaybillDeliveries.FindAsync(lifecycle, request.CallerId, request.OrderId, cancellationToken)).Error is { } error
            ? error
            : await waybills.CancelAsync(request.CallerId, request.OrderId, cancellationToken);
    }
}
