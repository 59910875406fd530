using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Application.DeliveryOrders.AttachDeliveryTrackingNumber;

/// <summary>Attach the waybill's tracking number to an AXN-extension delivery (AddAxnTrackNo), so it can be looked up.</summary>
public sealed record AttachDeliveryTrackingNumber(string CallerId, string OrderId, string? TrackingNumber);

public sealed class AttachDeliveryTrackingNumberHandler(BindingLifecycle lifecycle, IBindingRepository bindings)
{
    public async Task<Result<DeliveryProtection>> HandleAsync(AttachDeliveryTrackingNumber request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (DeliveryOrders.Target(request.CallerId, request.OrderId) is not { } target)
        {
            return BindingErrors.OrderNotFound;
        }

        if (!DeliveryValidation.IsValidTrackingNumber(request.TrackingNumber))
        {
            return DeliveryValidation.InvalidTrackingNumber();
        }

        var trackingNumber = request.TrackingNumber!;
        var holder = await bindings.FindOpenByTrackingNumberAsync(request.CallerId, trackingNumber, cancellationToken);
        if (holder is not null && holder.Order != DeliveryOrders.Order(request.CallerId, request.OrderId))
        {
            return BindingErrors.TrackingNumberInUse; // the fast path; the unique index decides a race (BindingErrors.StoreConflict)
        }

        var change = LifecycleChange.TrackingNumber(trackingNumber, DeliveryOrderErrors.TrackingNumberNotSupported, DeliveryOrderErrors.OtherTrackingNumber);
        return DeliveryOrders.View(await lifecycle.ChangeAsync(target, change, cancellationToken));
    }
}
