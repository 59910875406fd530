using BindingService.Application.DeliveryOrders;
using BindingService.Application.DeliveryOrders.FindDeliveryByTrackingNumber;
using Microsoft.AspNetCore.Mvc;

namespace BindingService.Api.OpenApi;

/// <summary>The OpenAPI description of the delivery-order endpoints (Endpoints/DeliveryOrders.cs): named examples, one per case.</summary>
internal static class DeliveryOrdersDocs
{
    public const string Tag = "Delivery orders";

    private const string PhoneRule = "Required: an 11-digit mainland mobile number or a landline with area code, digits only.";

    private const string TrackingNumberRule = "Required: 1 to 64 ASCII letters, digits or '-'.";

    public static RouteHandlerBuilder Protect(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Protect a delivery order (AXN extension by default: the customer behind X plus an extension; or AXB)")
        .WithDescription(
            "AXN extension (`product` omitted or `axnExtension`): anyone dialling `virtualNumber` then `extension` reaches the customer (A); " +
            "the customer dialling `virtualNumber` reaches the courier (B). Print `dialString` on the waybill. " +
            "AXB (`product: axb`): customer and courier reach each other through `virtualNumber`, no extension. " +
            "Idempotent: the same request for an order already protected with the same customer, courier and product returns the same binding with 200; " +
            "other parties or another product get 409 until the protection is cancelled.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithRequestExample("axnExtension", Example.ProtectRequest, "Customer behind X + extension (the default)")
        .WithRequestExample("axb", Example.ProtectAxbRequest, "Customer and courier through X (AXB)")
        .WithResponseExample(StatusCodes.Status201Created, "axnExtension", Example.Protection, "Protected now")
        .WithResponseExample(StatusCodes.Status201Created, "axb", Example.AxbProtection, "Protected now with AXB")
        .WithResponseExample(StatusCodes.Status200OK, "repeat", Example.Protection, "The same request again: the same binding")
        .WithResponseExample(StatusCodes.Status400BadRequest, "invalid", Example.Invalid(new Dictionary<string, string[]>
        {
            ["customerPhone"] = [PhoneRule],
            ["product"] = ["Must be \"axnExtension\" (the default) or \"axb\"."],
        }))
        .WithResponseExample(StatusCodes.Status409Conflict, "otherParties", Example.Problem(409, "order.protected_with_other_parties", "The delivery order is already protected for a different customer or courier, or with another product. Cancel it first."))
        .WithResponseExample(StatusCodes.Status422UnprocessableEntity, "phoneRejected", Example.PhoneRejected())
        .WithResponseExample(StatusCodes.Status503ServiceUnavailable, "poolExhausted", Example.Problem(503, "pool.exhausted", "No virtual number is available in pool FC100000000000003 for city 北京."));

    public static RouteHandlerBuilder Get(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Read a delivery order's protection")
        .WithDescription("The open protection, or the last one once it has ended (`status` released, expired or failed). Numbers are masked.")
        .ProducesErrors(StatusCodes.Status404NotFound)
        .WithResponseExample(StatusCodes.Status200OK, "active", Example.TrackedProtection)
        .WithResponseExample(StatusCodes.Status404NotFound, "unknown", Example.OrderNotFound());

    public static RouteHandlerBuilder Cancel(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Cancel a delivery order's protection now (unbinds the virtual number)")
        .WithDescription("Idempotent: cancelling an order whose protection has already ended returns its final state with 200.")
        .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
        .WithResponseExample(StatusCodes.Status200OK, "released", Example.ReleasedProtection)
        .WithResponseExample(StatusCodes.Status404NotFound, "unknown", Example.OrderNotFound())
        .WithResponseExample(StatusCodes.Status503ServiceUnavailable, "providerUnavailable", Example.ProviderUnavailable());

    public static RouteHandlerBuilder ChangeCourier(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Change the courier (B) of a protected delivery")
        .WithDescription(
            "UpdateSubscription `updateNoB`: from now on the customer dialling the virtual number reaches the new courier. " +
            "Idempotent: the current courier again returns 200 unchanged. 409 `order.protection_ended` once the protection has ended.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithRequestExample("courier", new { courierPhone = "13700137000" })
        .WithResponseExample(StatusCodes.Status200OK, "changed", Example.Protection with { CourierPhone = "137****7000" })
        .WithResponseExample(StatusCodes.Status400BadRequest, "invalid", Example.Invalid("courierPhone", PhoneRule))
        .WithResponseExample(StatusCodes.Status404NotFound, "unknown", Example.OrderNotFound())
        .WithResponseExample(StatusCodes.Status409Conflict, "ended", Example.Problem(409, "order.protection_ended", "The delivery order's protection has ended. Protect the order again first."))
        .WithResponseExample(StatusCodes.Status422UnprocessableEntity, "phoneRejected", Example.PhoneRejected())
        .WithResponseExample(StatusCodes.Status503ServiceUnavailable, "providerUnavailable", Example.ProviderUnavailable());

    public static RouteHandlerBuilder AttachTrackingNumber(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Attach the waybill's tracking number (AXN-extension deliveries only)")
        .WithDescription(
            "AddAxnTrackNo: the tracking number then finds the delivery (`GET /v1/delivery-orders/by-tracking-number/{trackingNumber}`). " +
            "Idempotent for the same tracking number. 422 `delivery.tracking_number_not_supported` for an AXB delivery; " +
            "409 `delivery.tracking_number_already_attached` when another tracking number is attached, `delivery.tracking_number_in_use` when another open delivery carries it, " +
            "`order.protection_ended` once the protection has ended.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithRequestExample("trackingNumber", new { trackingNumber = "YT1234567890" })
        .WithResponseExample(StatusCodes.Status200OK, "attached", Example.TrackedProtection)
        .WithResponseExample(StatusCodes.Status400BadRequest, "invalid", Example.Invalid("trackingNumber", TrackingNumberRule))
        .WithResponseExample(StatusCodes.Status404NotFound, "unknown", Example.OrderNotFound())
        .WithResponseExample(StatusCodes.Status409Conflict, "otherTrackingNumber", Example.Problem(409, "delivery.tracking_number_already_attached", "A different tracking number is already attached to this delivery; the provider cannot detach it."))
        .WithResponseExample(StatusCodes.Status422UnprocessableEntity, "axb", Example.Problem(422, "delivery.tracking_number_not_supported", "Tracking numbers attach to AXN-extension protections only; this delivery is protected with AXB."))
        .WithResponseExample(StatusCodes.Status503ServiceUnavailable, "providerUnavailable", Example.ProviderUnavailable());

    public static RouteHandlerBuilder FindByTrackingNumber(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Find the delivery a tracking number belongs to")
        .WithDescription(
            "Our open protection carrying that tracking number, confirmed at the provider (QueryPhoneNoAByTrackNo). " +
            "Answers the order, the virtual number and extension to dial, and the customer's number masked — never in clear. 404 when unknown.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
        .WithResponseExample(StatusCodes.Status200OK, "found", Example.Lookup)
        .WithResponseExample(StatusCodes.Status400BadRequest, "invalid", Example.Invalid("trackingNumber", TrackingNumberRule, Example.LookupInstance))
        .WithResponseExample(StatusCodes.Status404NotFound, "unknown", Example.Problem(404, "tracking_number.not_found", "No open delivery protection carries this tracking number.", Example.LookupInstance))
        .WithResponseExample(StatusCodes.Status503ServiceUnavailable, "providerUnavailable", Example.ProviderUnavailable(Example.LookupInstance));

    /// <summary>The values the examples show: one delivery, as a caller would see it.</summary>
    private static class Example
    {
        public const string Instance = "/v1/delivery-orders/dlv-2001/protection";

        public const string LookupInstance = "/v1/delivery-orders/by-tracking-number/YT1234567890";

        private static readonly DateTimeOffset Created = new(2026, 11, 23, 10, 0, 0, 412, TimeSpan.Zero);

        public static readonly object ProtectRequest = new { customerPhone = "13800138000", courierPhone = "13900139000", city = "北京", expiresAt = "2026-11-24T10:00:00Z" };

        public static readonly object ProtectAxbRequest = new { customerPhone = "13800138000", courierPhone = "13900139000", product = "axb" };

        public static readonly DeliveryProtection Protection = new(
            "dlv-2001", Guid.Parse("01936f5e-8b90-7c55-a3d2-6e1f0b7c9d21"), "axnExtension", "active", "17200000001", "1", "17200000001,1",
            "138****8000", "139****9000", null, "北京", new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), Created, Created.AddMilliseconds(86), null);

        public static readonly DeliveryProtection AxbProtection = Protection with
        {
            Product = "axb",
            VirtualNumber = "17000000003",
            Extension = null,
            DialString = "17000000003",
            City = null,
            ExpiresAt = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero),
        };

        public static readonly DeliveryProtection TrackedProtection = Protection with { TrackingNumber = "YT1234567890", UpdatedAt = Created.AddMinutes(5) };

        public static readonly DeliveryProtection ReleasedProtection = TrackedProtection with
        {
            Status = "released",
            UpdatedAt = Created.AddHours(3),
            EndedAt = Created.AddHours(3),
        };

        public static readonly DeliveryByTrackingNumber Lookup = new(
            "YT1234567890", "dlv-2001", Protection.BindingId, "active", "17200000001", "1", "17200000001,1", "138****8000", Protection.ExpiresAt);

        public static ProblemDetails OrderNotFound() => Problem(404, "order.not_found", "No protection exists for this delivery order.");

        public static ProblemDetails PhoneRejected() => Problem(422, "phone.rejected", "The provider rejected a phone number.");

        public static ProblemDetails ProviderUnavailable(string instance = Instance) =>
            Problem(503, "provider.unavailable", "The number protection provider is unavailable.", instance);

        public static ProblemDetails Problem(int status, string code, string detail, string instance = Instance) =>
            ProblemExamples.Problem(status, code, detail, instance);

        public static ProblemDetails Invalid(IReadOnlyDictionary<string, string[]> errors) => ProblemExamples.Invalid(Instance, errors);

        public static ProblemDetails Invalid(string field, string message, string instance = Instance) => ProblemExamples.Invalid(instance, field, message);
    }
}
