using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
using BindingService.Application.DeliveryOrders.PickUpWaybills;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>Courier pickups for delivery orders: pre-query, book, read, cancel (docs/api.md, "Pickup waybills").</summary>
public static class PickUpWaybills
{
    public static RouteGroupBuilder MapPickUpWaybills(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/delivery-orders/{orderId}/protection/pickup-waybill").WithTags(PickUpWaybillsDocs.Tag);
        group.MapPost("/quote", QuotePickUpWaybill).WithName(nameof(QuotePickUpWaybill)).Describe(PickUpWaybillsDocs.Quote);
        group.MapPost("/", CreatePickUpWaybill).WithName(nameof(CreatePickUpWaybill)).WithIdempotency<CreatePickUpWaybillBody>().Describe(PickUpWaybillsDocs.Create);
        group.MapGet("/", GetPickUpWaybill).WithName(nameof(GetPickUpWaybill)).Describe(PickUpWaybillsDocs.Get);
        group.MapDelete("/", CancelPickUpWaybill).WithName(nameof(CancelPickUpWaybill)).Describe(PickUpWaybillsDocs.Cancel);
        return group;
    }

    /// <summary>An address.</summary>
    /// <param name="Province">e.g. 浙江省.</param>
    /// <param name="City">e.g. 杭州市.</param>
    /// <param name="Area">The district, e.g. 余杭区.</param>
    /// <param name="Detail">Street and number.</param>
    public sealed record AddressBody(string? Province, string? City, string? Area, string? Detail);

    /// <summary>A sender or consignee. Personal data: stored only masked (name) or encrypted (mobile), never logged.</summary>
    /// <param name="Name">1 to 32 characters.</param>
    /// <param name="Mobile">A phone number, digits only.</param>
    /// <param name="Address">Required to book; optional for a quote.</param>
    public sealed record ContactBody(string? Name, string? Mobile, AddressBody? Address);

    /// <summary>What to pre-query.</summary>
    /// <param name="Sender">Where the courier picks the parcel up.</param>
    /// <param name="Consignee">Where it goes.</param>
    /// <param name="Courier">Optional courier company code (e.g. YTO); else the provider assigns one.</param>
    /// <param name="WeightGrams">Optional; with it the answer carries a price.</param>
    public sealed record QuotePickUpWaybillBody(ContactBody? Sender, ContactBody? Consignee, string? Courier, long? WeightGrams);

    /// <summary>A pickup to book.</summary>
    /// <param name="Sender">Where the courier picks the parcel up.</param>
    /// <param name="Consignee">Where it goes.</param>
    /// <param name="Courier">Optional courier company code (e.g. YTO).</param>
    /// <param name="AppointmentStart">A slot from the quote (both ends, or neither for a real-time pickup).</param>
    /// <param name="AppointmentEnd">The slot's end.</param>
    /// <param name="GoodsName">Optional, at most 32 characters, no phone number.</param>
    /// <param name="WeightGrams">Optional weight in grams.</param>
    /// <param name="Remark">Optional note for the courier, at most 128 characters, no phone number.</param>
    public sealed record CreatePickUpWaybillBody(
        ContactBody? Sender, ContactBody? Consignee, string? Courier, DateTimeOffset? AppointmentStart, DateTimeOffset? AppointmentEnd, string? GoodsName, long? WeightGrams, string? Remark);

    public static async Task<Results<Ok<PickUpQuote>, ErrorResult>> QuotePickUpWaybill(
        string orderId, QuotePickUpWaybillBody? body, QuotePickUpWaybillHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(new QuotePickUpWaybill(caller.CallerId, orderId, Contact(body.Sender), Contact(body.Consignee), body.Courier, body.WeightGrams), cancellationToken)).ToOk();

    public static async Task<Results<Created<PickUpWaybillView>, Ok<PickUpWaybillView>, ErrorResult>> CreatePickUpWaybill(
        string orderId, CreatePickUpWaybillBody? body, CreatePickUpWaybillHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(
                    new CreatePickUpWaybill(
                        caller.CallerId, orderId, Contact(body.Sender), Contact(body.Consignee), body.Courier, body.AppointmentStart, body.AppointmentEnd, body.GoodsName, body.WeightGrams, body.Remark),
                    cancellationToken))
                .ToCreatedOrOk(o => o.Created, o => o.Waybill, _ => $"/v1/delivery-orders/{Uri.EscapeDataString(orderId)}/protection/pickup-waybill");

    public static async Task<Results<Ok<PickUpWaybillView>, ErrorResult>> GetPickUpWaybill(
        string orderId, GetPickUpWaybillHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new GetPickUpWaybill(caller.CallerId, orderId), cancellationToken)).ToOk();

    public static async Task<Results<Ok<PickUpWaybillView>, ErrorResult>> CancelPickUpWaybill(
        string orderId, CancelPickUpWaybillHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new CancelPickUpWaybill(caller.CallerId, orderId), cancellationToken)).ToOk();

    private static PickUpContactInput? Contact(ContactBody? body) =>
        body is null ? null : new PickUpContactInput(body.Name, body.Mobile, body.Address is { } a ? new PickUpAddress(a.Province, a.City, a.Area, a.Detail) : null);
}
