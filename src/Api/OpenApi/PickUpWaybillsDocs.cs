using BindingService.Application.DeliveryOrders.PickUpWaybills;
using static BindingService.Api.Endpoints.PickUpWaybills;

namespace BindingService.Api.OpenApi;

/// <summary>The OpenAPI description of the pickup waybill endpoints (Endpoints/PickUpWaybills.cs).</summary>
internal static class PickUpWaybillsDocs
{
    public const string Tag = "Delivery orders: pickup waybills";

    private const string Path = "/v1/delivery-orders/dlv-2001/protection/pickup-waybill";

    public static RouteHandlerBuilder Quote(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Pre-query a courier pickup for a delivery: real-time availability, appointment slots, price")
        .WithDescription("CreatePickUpWaybillPreQuery. Books nothing. Slots come as full times, ready to send back as appointmentStart/appointmentEnd; a price only with weightGrams. 404 order.not_found for an order the caller never protected; 422 pickup_waybill.refused when the provider refuses.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(new QuotePickUpWaybillBody(Example.Sender, Example.Consignee, null, 1500), (StatusCodes.Status200OK, Example.Quote));

    public static RouteHandlerBuilder Create(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Book a courier pickup for a delivery (one open waybill per delivery)")
        .WithDescription("CreatePickUpWaybill: real time without appointmentStart/appointmentEnd, else an appointment in a quoted slot. 201 with the waybill (mail number, courier, pickup code) and a PickUpWaybillCreated event. While the delivery has an open waybill, asking again answers it with 200 (cancel it first to book another). The protection must be active (409 order.protection_ended). Provider refusal: 422 pickup_waybill.refused. Honours Idempotency-Key.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(
            new CreatePickUpWaybillBody(Example.Sender, Example.Consignee, "YTO", null, null, "文件", 500, null),
            (StatusCodes.Status201Created, Example.Waybill),
            (StatusCodes.Status200OK, Example.Waybill),
            (StatusCodes.Status422UnprocessableEntity, ProblemExamples.Problem(422, PickUpWaybillErrors.Refused.Code, PickUpWaybillErrors.Refused.Detail, Path)));

    public static RouteHandlerBuilder Get(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Read a delivery's pickup waybill (the open one, else the latest)")
        .WithDescription("404 pickup_waybill.not_found when the delivery never had one (or is another caller's).")
        .ProducesErrors(StatusCodes.Status404NotFound)
        .WithExamples(null, (StatusCodes.Status200OK, Example.Waybill));

    public static RouteHandlerBuilder Cancel(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Cancel a delivery's pickup")
        .WithDescription("CancelPickUpWaybill; a PickUpWaybillCancelled event. Idempotent: a cancelled waybill is answered as it is. 409 pickup_waybill.not_cancellable when the provider cannot cancel it any more.")
        .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(null, (StatusCodes.Status200OK, Example.Waybill with { Status = PickUpWaybillNames.Cancelled, CancelledAt = Example.At.AddMinutes(20) }));

    private static class Example
    {
        public static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

        public static readonly ContactBody Sender = new("张三", "13800138000", new AddressBody("浙江省", "杭州市", "余杭区", "文一西路969号"));

        public static readonly ContactBody Consignee = new("李四", "13900139000", new AddressBody("北京市", "北京市", "朝阳区", "望京东路1号"));

        private static readonly TimeSpan China = TimeSpan.FromHours(8);

        public static readonly PickUpQuote Quote = new(
            null,
            new PickUpRealTime("2小时上门", true, null),
            [new PickUpDay("2026-12-04", true, [new PickUpSlot(new(2026, 12, 4, 9, 0, 0, China), new(2026, 12, 4, 11, 0, 0, China), true)])],
            "10.00");

        public static readonly PickUpWaybillView Waybill = new(
            Guid.Parse("01936f70-2a3b-7c4d-8e5f-6a7b8c9d0e1f"), "dlv-2001", Guid.Parse("01936f5e-8b90-7c55-a3d2-6e1f0b7c9d21"), PickUpWaybillNames.Open, "YTO",
            "SIM1000000001", "4821", PickUpWaybillNames.RealTime, null, null, "张*", "138****8000", "李*", "139****9000", At, null);
    }
}
