using BindingService.Application.Common;

namespace BindingService.Application.DeliveryOrders;

/// <summary>Refusals only deliveries have (the lifecycle's own are in <see cref="Bindings.BindingErrors"/>).</summary>
internal static class DeliveryOrderErrors
{
    public static readonly Error TrackingNumberNotSupported = Error.Unprocessable(
        "delivery.tracking_number_not_supported",
        "Tracking numbers attach to AXN-extension protections only; this delivery is protected with AXB.");

    public static readonly Error OtherTrackingNumber = Error.Conflict(
        "delivery.tracking_number_already_attached",
        "A different tracking number is already attached to this delivery; the provider cannot detach it.");

    public static readonly Error TrackingNumberNotFound = Error.NotFound(
        "tracking_number.not_found",
        "No open delivery protection carries this tracking number.");
}
