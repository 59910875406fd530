using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.DeliveryOrders.PickUpWaybills;

/// <summary>How every pickup waybill use case finds its delivery: the caller's own order, as the other delivery endpoints do.</summary>
internal static class PickUpWaybillDeliveries
{
    /// <summary>The order's protection (one past its expiry is ended first); 404 <c>order.not_found</c> for an unknown or another caller's order.</summary>
    public static async Task<Result<Binding>> FindAsync(BindingLifecycle lifecycle, string callerId, string orderId, CancellationToken cancellationToken) =>
        DeliveryOrders.Target(callerId, orderId) is { } target
            ? await lifecycle.ReadAsync(target, cancellationToken)
            : BindingErrors.OrderNotFound;
}
