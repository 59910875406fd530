using BindingService.Application.Common;
using BindingService.Domain.Common;

namespace BindingService.Application.DeliveryOrders.PickUpWaybills;

/// <summary>An address as the courier needs it: province, city, district (area) and the street address.</summary>
public sealed record PickUpAddress(string? Province, string? City, string? Area, string? Detail);

/// <summary>A sender or consignee as the caller gives it. Name, mobile and address are personal data.</summary>
public sealed record PickUpContactInput(string? Name, string? Mobile, PickUpAddress? Address);

/// <summary>A validated sender or consignee. <see cref="ToString"/> hides everything.</summary>
public sealed record PickUpContact(string Name, PhoneNumber Mobile, PickUpAddress? Address)
{
    /// <summary>The name's first character, the rest starred (张三 → 张*).</summary>
    public string MaskedName => MaskName(Name);

    public static string MaskName(string name) =>
        string.IsNullOrEmpty(name) ? string.Empty : name[..1] + new string('*', Math.Max(1, name.Length - 1));

    public override string ToString() => nameof(PickUpContact);
}

/// <summary>What the pre-query asks about, validated.</summary>
public sealed record PickUpQuoteQuery(PickUpContact Sender, PickUpContact Consignee, string? CourierCode, long? WeightGrams);

/// <summary>
/// A pickup to book, validated. No appointment: a real-time pickup (the courier comes within the provider's window);
/// with one, the slot from a quote (<see cref="AppointmentStart"/> to <see cref="AppointmentEnd"/>).
/// </summary>
public sealed record PickUpBooking(
    PickUpContact Sender,
    PickUpContact Consignee,
    string? CourierCode,
    DateTimeOffset? AppointmentStart,
    DateTimeOffset? AppointmentEnd,
    string? GoodsName,
    long? WeightGrams,
    string? Remark);

/// <summary>The delivery a waybill is booked for: its caller, order and current binding.</summary>
public sealed record PickUpDelivery(string CallerId, string OrderId, Guid BindingId);

/// <summary>The answer of a pre-query: the courier's options and, with a weight, the price (yuan, two decimals).</summary>
public sealed record PickUpQuote(string? CourierCode, PickUpRealTime? RealTime, IReadOnlyList<PickUpDay> Appointments, string? Price);

/// <summary>Whether a real-time pickup can be booked now; <see cref="DisabledReason"/> is the provider's hint when not.</summary>
public sealed record PickUpRealTime(string? Name, bool Selectable, string? DisabledReason);

/// <summary>One day of appointment slots (Date yyyy-MM-dd, China time).</summary>
public sealed record PickUpDay(string Date, bool Selectable, IReadOnlyList<PickUpSlot> Slots);

/// <summary>A slot: <see cref="Start"/> and <see cref="End"/> are full times (UTC offsets), ready for a booking.</summary>
public sealed record PickUpSlot(DateTimeOffset Start, DateTimeOffset End, bool Selectable);

/// <summary>
/// A pickup waybill as callers see it. <see cref="Status"/>: pending (being booked), open, cancelled, failed. Names and
/// numbers masked; addresses are not kept.
/// </summary>
public sealed record PickUpWaybillView(
    Guid WaybillId,
    string OrderId,
    Guid BindingId,
    string Status,
    string? CourierCode,
    string? MailNo,
    string? PickUpCode,
    string PickUpKind,
    DateTimeOffset? AppointmentStart,
    DateTimeOffset? AppointmentEnd,
    string SenderName,
    string SenderPhone,
    string ConsigneeName,
    string ConsigneePhone,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CancelledAt);

/// <summary>The waybill, and whether this request booked it (false: the delivery already had it open).</summary>
public sealed record PickUpWaybillOutcome(PickUpWaybillView Waybill, bool Created);

/// <summary>
/// The port for pickup waybills (CreatePickUpWaybillPreQuery, CreatePickUpWaybill, CancelPickUpWaybill) and their store:
/// one open waybill per delivery order at most, phone numbers encrypted, events through the outbox.
/// </summary>
public interface IPickUpWaybills
{
    Task<Result<PickUpQuote>> QuoteAsync(PickUpQuoteQuery query, CancellationToken cancellationToken);

    /// <summary>Books a pickup for the delivery, or answers its open waybill (Created false).</summary>
    Task<Result<PickUpWaybillOutcome>> CreateAsync(PickUpDelivery delivery, PickUpBooking booking, CancellationToken cancellationToken);

    /// <summary>Cancels the delivery order's open waybill; an already cancelled one is answered as it is.</summary>
    Task<Result<PickUpWaybillView>> CancelAsync(string callerId, string orderId, CancellationToken cancellationToken);

    /// <summary>The delivery order's open waybill, else its latest one; null when it never had one.</summary>
    Task<PickUpWaybillView?> LatestAsync(string callerId, string orderId, CancellationToken cancellationToken);
}

/// <summary>The wire names of a waybill's status and kind.</summary>
public static class PickUpWaybillNames
{
    public const string Pending = "pending";
    public const string Open = "open";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
    public const string RealTime = "realTime";
    public const string Appointment = "appointment";
}

/// <summary>Refusals of the pickup waybill endpoints (docs/api.md, "Pickup waybills").</summary>
public static class PickUpWaybillErrors
{
    public static readonly Error NotFound = Error.NotFound("pickup_waybill.not_found", "This delivery order has no pickup waybill.");

    public static readonly Error Pending = Error.Unavailable(
        "pickup_waybill.pending", "A pickup for this delivery order is being booked by another request; retry shortly.", TimeSpan.FromSeconds(2));

    public static readonly Error Refused = Error.Unprocessable(
        "pickup_waybill.refused", "The provider refused the pickup (e.g. no courier serves the addresses, or the slot is not available).");

    public static readonly Error NotCancellable = Error.Conflict(
        "pickup_waybill.not_cancellable", "The provider cannot cancel this pickup any more (e.g. the parcel was already collected).");
}
