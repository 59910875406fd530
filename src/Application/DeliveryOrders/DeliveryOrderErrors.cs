using BindingService.Application.Common;

namespace BindingService.Application.DeliveryOrders;

internal static class DeliveryOrderErrors
{
    public static readonly Error NotFound = Error.NotFound("order.not_found", "No protection exists for this delivery order.");

    public static readonly Error Ended = Error.Conflict("order.protection_ended", "The delivery order's protection has ended. Protect the order again first.");

    public static readonly Error Pending = Error.Unavailable("binding.pending", "The protection is still being set up. Retry shortly.", TimeSpan.FromSeconds(2));

    public static readonly Error OtherParties = Error.Conflict(
        "order.protected_with_other_parties",
        "The delivery order is already protected for a different customer or courier, or with another product. Cancel it first.");

    public static readonly Error TrackingNumberNotSupported = Error.Unprocessable(
        "delivery.tracking_number_not_supported",
        "Tracking numbers attach to AXN-extension protections only; this delivery is protected with AXB.");

    public static readonly Error OtherTrackingNumber = Error.Conflict(
        "delivery.tracking_number_already_attached",
        "A different tracking number is already attached to this delivery; the provider cannot detach it.");

    public static readonly Error TrackingNumberInUse = Error.Conflict(
        "delivery.tracking_number_in_use",
        "The tracking number is attached to another open delivery order.");

    public static readonly Error TrackingNumberNotFound = Error.NotFound(
        "tracking_number.not_found",
        "No open delivery protection carries this tracking number.");
}
