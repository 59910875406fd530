using BindingService.Api.Infrastructure;
using BindingService.Application.DeliveryOrders;
using BindingService.Application.DeliveryOrders.AttachDeliveryTrackingNumber;
using BindingService.Application.DeliveryOrders.CancelDeliveryOrderProtection;
using BindingService.Application.DeliveryOrders.ChangeDeliveryCourier;
using BindingService.Application.DeliveryOrders.FindDeliveryByTrackingNumber;
using BindingService.Application.DeliveryOrders.GetDeliveryOrderProtection;
using BindingService.Application.DeliveryOrders.ProtectDeliveryOrder;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>Delivery: hide the customer's number behind X plus an extension printed on the waybill.</summary>
public static class DeliveryOrders
{
    public static IEndpointRouteBuilder MapDeliveryOrders(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/delivery-orders").WithTags("Delivery orders");

        group.MapPut("/{orderId}/protection", ProtectDeliveryOrder)
            .WithName(nameof(ProtectDeliveryOrder))
            .WithSummary("Protect a delivery order (AXN extension by default: the customer behind X plus an extension; or AXB)")
            .WithDescription(
                "AXN extension (`product` omitted or `axnExtension`): anyone dialling `virtualNumber` then `extension` reaches the customer (A); " +
                "the customer dialling `virtualNumber` reaches the courier (B). Print `dialString` on the waybill. " +
                "AXB (`product: axb`): customer and courier reach each other through `virtualNumber`, no extension. " +
                "Idempotent: the same request for an order already protected with the same customer, courier and product returns the same binding with 200; " +
                "other parties or another product get 409 until the protection is cancelled.")
            .WithRequestExample("axnExtension", Examples.ProtectRequest, "Customer behind X + extension (the default)")
            .WithRequestExample("axb", Examples.ProtectAxbRequest, "Customer and courier through X (AXB)")
            .WithResponseExample(StatusCodes.Status201Created, "axnExtension", Examples.Protection, "Protected now")
            .WithResponseExample(StatusCodes.Status201Created, "axb", Examples.AxbProtection, "Protected now with AXB")
            .WithResponseExample(StatusCodes.Status200OK, "repeat", Examples.Protection, "The same request again: the same binding")
            .WithResponseExample(StatusCodes.Status400BadRequest, "invalid", Examples.ValidationProblem)
            .WithResponseExample(StatusCodes.Status409Conflict, "otherParties", Examples.Problem(409, "order.protected_with_other_parties", "The delivery order is already protected for a different customer or courier, or with another product. Cancel it first."))
            .WithResponseExample(StatusCodes.Status422UnprocessableEntity, "phoneRejected", Examples.Problem(422, "phone.rejected", "The provider rejected a phone number."))
            .WithResponseExample(StatusCodes.Status503ServiceUnavailable, "poolExhausted", Examples.Problem(503, "pool.exhausted", "No virtual number is available in pool FC100000000000003 for city 北京."))
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/{orderId}/protection", GetDeliveryOrderProtection)
            .WithName(nameof(GetDeliveryOrderProtection))
            .WithSummary("Read a delivery order's protection")
            .WithDescription("The open protection, or the last one once it has ended (`status` released, expired or failed). Numbers are masked.")
            .WithResponseExample(StatusCodes.Status200OK, "active", Examples.TrackedProtection)
            .WithResponseExample(StatusCodes.Status404NotFound, "unknown", Examples.Problem(404, "order.not_found", "No protection exists for this delivery order."))
            .ProducesErrors(StatusCodes.Status404NotFound);

        group.MapDelete("/{orderId}/protection", CancelDeliveryOrderProtection)
            .WithName(nameof(CancelDeliveryOrderProtection))
            .WithSummary("Cancel a delivery order's protection now (unbinds the virtual number)")
            .WithDescription("Idempotent: cancelling an order whose protection has already ended returns its final state with 200.")
            .WithResponseExample(StatusCodes.Status200OK, "released", Examples.ReleasedProtection)
            .WithResponseExample(StatusCodes.Status404NotFound, "unknown", Examples.Problem(404, "order.not_found", "No protection exists for this delivery order."))
            .WithResponseExample(StatusCodes.Status503ServiceUnavailable, "providerUnavailable", Examples.Problem(503, "provider.unavailable", "The number protection provider is unavailable."))
            .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);

        group.MapPut("/{orderId}/protection/courier", ChangeDeliveryCourier)
            .WithName(nameof(ChangeDeliveryCourier))
            .WithSummary("Change the courier (B) of a protected delivery")
            .WithDescription(
                "UpdateSubscription `updateNoB`: from now on the customer dialling the virtual number reaches the new courier. " +
                "Idempotent: the current courier again returns 200 unchanged. 409 `order.protection_ended` once the protection has ended.")
            .WithRequestExample("courier", new { courierPhone = "13700137000" })
            .WithResponseExample(StatusCodes.Status200OK, "changed", Examples.Protection with { CourierPhone = "137****7000" })
            .WithResponseExample(StatusCodes.Status400BadRequest, "invalid", Examples.Problem(400, "request.invalid", "One or more fields are invalid.", new Dictionary<string, string[]> { ["courierPhone"] = [DeliveryExamplesText.PhoneRule] }))
            .WithResponseExample(StatusCodes.Status404NotFound, "unknown", Examples.Problem(404, "order.not_found", "No protection exists for this delivery order."))
            .WithResponseExample(StatusCodes.Status409Conflict, "ended", Examples.Problem(409, "order.protection_ended", "The delivery order's protection has ended. Protect the order again first."))
            .WithResponseExample(StatusCodes.Status422UnprocessableEntity, "phoneRejected", Examples.Problem(422, "phone.rejected", "The provider rejected a phone number."))
            .WithResponseExample(StatusCodes.Status503ServiceUnavailable, "providerUnavailable", Examples.Problem(503, "provider.unavailable", "The number protection provider is unavailable."))
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable);

        group.MapPut("/{orderId}/protection/tracking-number", AttachDeliveryTrackingNumber)
            .WithName(nameof(AttachDeliveryTrackingNumber))
            .WithSummary("Attach the waybill's tracking number (AXN-extension deliveries only)")
            .WithDescription(
                "AddAxnTrackNo: the tracking number then finds the delivery (`GET /v1/delivery-orders/by-tracking-number/{trackingNumber}`). " +
                "Idempotent for the same tracking number. 422 `delivery.tracking_number_not_supported` for an AXB delivery; " +
                "409 `delivery.tracking_number_already_attached` when another tracking number is attached, `delivery.tracking_number_in_use` when another open delivery carries it, " +
                "`order.protection_ended` once the protection has ended.")
            .WithRequestExample("trackingNumber", new { trackingNumber = "YT1234567890" })
            .WithResponseExample(StatusCodes.Status200OK, "attached", Examples.TrackedProtection)
            .WithResponseExample(StatusCodes.Status400BadRequest, "invalid", Examples.Problem(400, "request.invalid", "One or more fields are invalid.", new Dictionary<string, string[]> { ["trackingNumber"] = ["Required: 1 to 64 ASCII letters, digits or '-'."] }))
            .WithResponseExample(StatusCodes.Status404NotFound, "unknown", Examples.Problem(404, "order.not_found", "No protection exists for this delivery order."))
            .WithResponseExample(StatusCodes.Status503ServiceUnavailable, "providerUnavailable", Examples.Problem(503, "provider.unavailable", "The number protection provider is unavailable."))
            .WithResponseExample(StatusCodes.Status409Conflict, "otherTrackingNumber", Examples.Problem(409, "delivery.tracking_number_already_attached", "A different tracking number is already attached to this delivery; the provider cannot detach it."))
            .WithResponseExample(StatusCodes.Status422UnprocessableEntity, "axb", Examples.Problem(422, "delivery.tracking_number_not_supported", "Tracking numbers attach to AXN-extension protections only; this delivery is protected with AXB."))
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/by-tracking-number/{trackingNumber}", FindDeliveryByTrackingNumber)
            .WithName(nameof(FindDeliveryByTrackingNumber))
            .WithSummary("Find the delivery a tracking number belongs to")
            .WithDescription(
                "Our open protection carrying that tracking number, confirmed at the provider (QueryPhoneNoAByTrackNo). " +
                "Answers the order, the virtual number and extension to dial, and the customer's number masked — never in clear. 404 when unknown.")
            .WithResponseExample(StatusCodes.Status200OK, "found", Examples.Lookup)
            .WithResponseExample(StatusCodes.Status400BadRequest, "invalid", Examples.Problem(400, "request.invalid", "One or more fields are invalid.", new Dictionary<string, string[]> { ["trackingNumber"] = ["Required: 1 to 64 ASCII letters, digits or '-'."] }))
            .WithResponseExample(StatusCodes.Status503ServiceUnavailable, "providerUnavailable", Examples.Problem(503, "provider.unavailable", "The number protection provider is unavailable."))
            .WithResponseExample(StatusCodes.Status404NotFound, "unknown", Examples.Problem(404, "tracking_number.not_found", "No open delivery protection carries this tracking number."))
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    /// <summary>The body of a protect request.</summary>
    /// <param name="CustomerPhone">Party A, hidden behind the virtual number: 11-digit mainland mobile, or landline with area code; digits only.</param>
    /// <param name="CourierPhone">Party B (the number the customer reaches by dialling X), same format.</param>
    /// <param name="City">Preferred city of the virtual number, e.g. 北京.</param>
    /// <param name="ExpiresAt">When the protection ends (UTC or with offset). Defaults to the configured TTL.</param>
    /// <param name="Product">`axnExtension` (default) or `axb`.</param>
    public sealed record ProtectDeliveryOrderBody(string? CustomerPhone, string? CourierPhone, string? City, DateTimeOffset? ExpiresAt, string? Product);

    /// <summary>The body of a courier change.</summary>
    /// <param name="CourierPhone">The new courier (B).</param>
    public sealed record ChangeCourierBody(string? CourierPhone);

    /// <summary>The body of a tracking-number attachment.</summary>
    /// <param name="TrackingNumber">The waybill's tracking number: 1 to 64 ASCII letters, digits or '-'.</param>
    public sealed record AttachTrackingNumberBody(string? TrackingNumber);

    public static async Task<Results<Created<DeliveryProtection>, Ok<DeliveryProtection>, ErrorResult>> ProtectDeliveryOrder(
        string orderId,
        ProtectDeliveryOrderBody? body,
        ProtectDeliveryOrderHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResult.MissingBody();
        }

        var result = await handler.HandleAsync(
            new ProtectDeliveryOrder(caller.CallerId, orderId, body.CustomerPhone, body.CourierPhone, body.City, body.ExpiresAt, body.Product),
            cancellationToken);
        if (result.Error is { } error)
        {
            return new ErrorResult(error);
        }

        var outcome = result.Value!;
        return outcome.Created
            ? TypedResults.Created($"/v1/delivery-orders/{Uri.EscapeDataString(orderId)}/protection", outcome.Protection)
            : TypedResults.Ok(outcome.Protection);
    }

    public static async Task<Results<Ok<DeliveryProtection>, ErrorResult>> GetDeliveryOrderProtection(
        string orderId,
        GetDeliveryOrderProtectionHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new GetDeliveryOrderProtection(caller.CallerId, orderId), cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<DeliveryProtection>, ErrorResult>> CancelDeliveryOrderProtection(
        string orderId,
        CancelDeliveryOrderProtectionHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new CancelDeliveryOrderProtection(caller.CallerId, orderId), cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<DeliveryProtection>, ErrorResult>> ChangeDeliveryCourier(
        string orderId,
        ChangeCourierBody? body,
        ChangeDeliveryCourierHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResult.MissingBody();
        }

        var result = await handler.HandleAsync(new ChangeDeliveryCourier(caller.CallerId, orderId, body.CourierPhone), cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<DeliveryProtection>, ErrorResult>> AttachDeliveryTrackingNumber(
        string orderId,
        AttachTrackingNumberBody? body,
        AttachDeliveryTrackingNumberHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResult.MissingBody();
        }

        var result = await handler.HandleAsync(new AttachDeliveryTrackingNumber(caller.CallerId, orderId, body.TrackingNumber), cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<DeliveryByTrackingNumber>, ErrorResult>> FindDeliveryByTrackingNumber(
        string trackingNumber,
        FindDeliveryByTrackingNumberHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new FindDeliveryByTrackingNumber(caller.CallerId, trackingNumber), cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    private static class DeliveryExamplesText
    {
        public const string PhoneRule = "Required: an 11-digit mainland mobile number or a landline with area code, digits only.";
    }

    /// <summary>The OpenAPI examples: one delivery, as a caller would see it.</summary>
    private static class Examples
    {
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

        public static readonly object ValidationProblem = Problem(
            400,
            "request.invalid",
            "One or more fields are invalid.",
            new Dictionary<string, string[]>
            {
                ["customerPhone"] = [DeliveryExamplesText.PhoneRule],
                ["product"] = ["Must be \"axnExtension\" (the default) or \"axb\"."],
            });

        public static object Problem(int status, string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
        {
            var problem = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["type"] = $"https://bindingservice.dev/problems/{code}",
                ["title"] = status switch
                {
                    400 => "The request is invalid.",
                    404 => "Not found.",
                    409 => "The request conflicts with the current state.",
                    422 => "The request was refused.",
                    _ => "Temporarily unavailable.",
                },
                ["status"] = status,
                ["detail"] = detail,
                ["instance"] = "/v1/delivery-orders/dlv-2001/protection",
            };
            if (errors is not null)
            {
                problem["errors"] = errors;
            }

            problem["code"] = code;
            problem["requestId"] = "0HN8Q2J4B6L3K:00000001";
            return problem;
        }
    }
}
