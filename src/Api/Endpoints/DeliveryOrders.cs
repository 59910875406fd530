using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
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
        var group = app.MapGroup("/v1/delivery-orders").WithTags(DeliveryOrdersDocs.Tag);
        group.MapPut("/{orderId}/protection", ProtectDeliveryOrder).WithName(nameof(ProtectDeliveryOrder)).Describe(DeliveryOrdersDocs.Protect);
        group.MapGet("/{orderId}/protection", GetDeliveryOrderProtection).WithName(nameof(GetDeliveryOrderProtection)).Describe(DeliveryOrdersDocs.Get);
        group.MapDelete("/{orderId}/protection", CancelDeliveryOrderProtection).WithName(nameof(CancelDeliveryOrderProtection)).Describe(DeliveryOrdersDocs.Cancel);
        group.MapPut("/{orderId}/protection/courier", ChangeDeliveryCourier).WithName(nameof(ChangeDeliveryCourier)).Describe(DeliveryOrdersDocs.ChangeCourier);
        group.MapPut("/{orderId}/protection/tracking-number", AttachDeliveryTrackingNumber).WithName(nameof(AttachDeliveryTrackingNumber)).Describe(DeliveryOrdersDocs.AttachTrackingNumber);
        group.MapGet("/by-tracking-number/{trackingNumber}", FindDeliveryByTrackingNumber).WithName(nameof(FindDeliveryByTrackingNumber)).Describe(DeliveryOrdersDocs.FindByTrackingNumber);
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
        string orderId, ProtectDeliveryOrderBody? body, ProtectDeliveryOrderHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(
                    new ProtectDeliveryOrder(caller.CallerId, orderId, body.CustomerPhone, body.CourierPhone, body.City, body.ExpiresAt, body.Product),
                    cancellationToken))
                .ToCreatedOrOk(o => o.Created, o => o.Protection, _ => $"/v1/delivery-orders/{Uri.EscapeDataString(orderId)}/protection");

    public static async Task<Results<Ok<DeliveryProtection>, ErrorResult>> GetDeliveryOrderProtection(
        string orderId, GetDeliveryOrderProtectionHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new GetDeliveryOrderProtection(caller.CallerId, orderId), cancellationToken)).ToOk();

    public static async Task<Results<Ok<DeliveryProtection>, ErrorResult>> CancelDeliveryOrderProtection(
        string orderId, CancelDeliveryOrderProtectionHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new CancelDeliveryOrderProtection(caller.CallerId, orderId), cancellationToken)).ToOk();

    public static async Task<Results<Ok<DeliveryProtection>, ErrorResult>> ChangeDeliveryCourier(
        string orderId, ChangeCourierBody? body, ChangeDeliveryCourierHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(new ChangeDeliveryCourier(caller.CallerId, orderId, body.CourierPhone), cancellationToken)).ToOk();

    public static async Task<Results<Ok<DeliveryProtection>, ErrorResult>> AttachDeliveryTrackingNumber(
        string orderId, AttachTrackingNumberBody? body, AttachDeliveryTrackingNumberHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(new AttachDeliveryTrackingNumber(caller.CallerId, orderId, body.TrackingNumber), cancellationToken)).ToOk();

    public static async Task<Results<Ok<DeliveryByTrackingNumber>, ErrorResult>> FindDeliveryByTrackingNumber(
        string trackingNumber, FindDeliveryByTrackingNumberHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new FindDeliveryByTrackingNumber(caller.CallerId, trackingNumber), cancellationToken)).ToOk();
}
