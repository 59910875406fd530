namespace BindingService.Contracts;

// Pickup waybill events: a courier pickup booked or cancelled for a delivery order (docs/events.md, "Pickup waybill
// events"). Published on RabbitMQ like the binding events; the namespace is part of the wire contract: never move these
// types. Names, addresses and phone numbers of sender and consignee are personal data and never appear: phones only
// masked. Times are UTC.

/// <summary>
/// Every pickup waybill event. A queue bound to the exchange "BindingService.Contracts:IPickUpWaybillEvent" receives all
/// of them; each concrete type also has its own exchange. Events of one waybill are published in order.
/// </summary>
public interface IPickUpWaybillEvent
{
    /// <summary>Stable per event; also the message's MessageId. Use it to de-duplicate (delivery is at-least-once).</summary>
    Guid EventId { get; }

    Guid WaybillId { get; }

    string CallerId { get; }

    /// <summary>The delivery order the waybill belongs to.</summary>
    string OrderId { get; }

    /// <summary>The delivery's binding when the waybill was booked.</summary>
    Guid BindingId { get; }

    /// <summary>The courier company's code (e.g. YTO).</summary>
    string? CourierCode { get; }

    /// <summary>The courier's mail number: the parcel's tracking number at the courier.</summary>
    string? MailNo { get; }

    DateTimeOffset OccurredAt { get; }

    /// <summary>The shape of the event (<see cref="PickUpWaybillEventSchema.Version"/>).</summary>
    int SchemaVersion { get; }
}

/// <summary>The version of the pickup waybill events' shape, sent as <c>schemaVersion</c>.</summary>
public static class PickUpWaybillEventSchema
{
    public const int Version = 1;
}

/// <summary>
/// A pickup was booked at the provider (CreatePickUpWaybill). <see cref="PickUpKind"/> is realTime or appointment (then
/// <see cref="AppointmentStart"/> and <see cref="AppointmentEnd"/> give the slot).
/// </summary>
public sealed record PickUpWaybillCreated(
    Guid EventId,
    Guid WaybillId,
    string CallerId,
    string OrderId,
    Guid BindingId,
    string? CourierCode,
    string? MailNo,
    string PickUpKind,
    DateTimeOffset? AppointmentStart,
    DateTimeOffset? AppointmentEnd,
    string SenderPhoneMasked,
    string ConsigneePhoneMasked,
    DateTimeOffset OccurredAt) : IPickUpWaybillEvent
{
    public int SchemaVersion => PickUpWaybillEventSchema.Version;
}

/// <summary>A booked pickup was cancelled at the provider (CancelPickUpWaybill).</summary>
public sealed record PickUpWaybillCancelled(
    Guid EventId,
    Guid WaybillId,
    string CallerId,
    string OrderId,
    Guid BindingId,
    string? CourierCode,
    string? MailNo,
    DateTimeOffset OccurredAt) : IPickUpWaybillEvent
{
    public int SchemaVersion => PickUpWaybillEventSchema.Version;
}
