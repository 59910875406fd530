namespace BindingService.Contracts;

// Integration events published on RabbitMQ. The namespace is part of the wire contract
// (MassTransit names exchanges "BindingService.Contracts:<Type>"): never move these types.
// Phone numbers appear only masked (138****1234). Times are UTC.

/// <summary>
/// Every binding event. A queue bound to the exchange "BindingService.Contracts:IBindingEvent"
/// receives all of them; each concrete type also has its own exchange.
/// </summary>
public interface IBindingEvent
{
    /// <summary>Stable per event; also the message's MessageId. Use it to de-duplicate (delivery is at-least-once).</summary>
    Guid EventId { get; }

    Guid BindingId { get; }

    string CallerId { get; }

    /// <summary>ride, delivery or generic.</summary>
    string BusinessLine { get; }

    string OrderId { get; }

    /// <summary>Counts the binding's changes, starting at 1; orders events of one binding.</summary>
    int BindingVersion { get; }

    DateTimeOffset OccurredAt { get; }

    /// <summary>The shape of the event (<see cref="BindingEventSchema.Version"/>); it changes when names or fields do.</summary>
    int SchemaVersion { get; }
}

/// <summary>
/// The version of the binding events' shape, sent as <c>schemaVersion</c> in every event. 2: products, call
/// restrictions and release reasons are spelled as in the API (axnExtension, endedAtProvider), see docs/events.md.
/// </summary>
public static class BindingEventSchema
{
    public const int Version = 2;
}

/// <summary>A binding is active: calls between the parties through <see cref="SecretNo"/> are routed.</summary>
public sealed record BindingCreated(
    Guid EventId,
    Guid BindingId,
    string CallerId,
    string BusinessLine,
    string OrderId,
    int BindingVersion,
    DateTimeOffset OccurredAt,
    string Product,
    string PoolKey,
    string SubsId,
    string SecretNo,
    string PartyAMasked,
    string? PartyBMasked,
    DateTimeOffset ExpiresAt,
    string? Extension = null,
    long? GroupId = null,
    bool RecordingEnabled = false,
    string CallRestriction = "none") : IBindingEvent
{
    public int SchemaVersion => BindingEventSchema.Version;
}

/// <summary>
/// An active binding changed in place. <see cref="Changes"/> names what changed (partyB, expiresAt, recording,
/// callRestriction, groupId, trackingNumber, completed); the other fields are the binding as it now is.
/// </summary>
public sealed record BindingUpdated(
    Guid EventId,
    Guid BindingId,
    string CallerId,
    string BusinessLine,
    string OrderId,
    int BindingVersion,
    DateTimeOffset OccurredAt,
    IReadOnlyList<string> Changes,
    string Product,
    string SubsId,
    string SecretNo,
    string? Extension,
    string PartyAMasked,
    string? PartyBMasked,
    DateTimeOffset ExpiresAt,
    bool RecordingEnabled,
    string CallRestriction,
    long? GroupId,
    string? TrackingNumber,
    DateTimeOffset? CompletedAt) : IBindingEvent
{
    public int SchemaVersion => BindingEventSchema.Version;
}

/// <summary>A binding was ended early and unbound at the provider.</summary>
public sealed record BindingReleased(
    Guid EventId,
    Guid BindingId,
    string CallerId,
    string BusinessLine,
    string OrderId,
    int BindingVersion,
    DateTimeOffset OccurredAt,
    string SecretNo,
    string SubsId,
    string PartyAMasked,
    string? PartyBMasked,
    string Reason,
    DateTimeOffset ExpiresAt) : IBindingEvent
{
    public int SchemaVersion => BindingEventSchema.Version;
}

/// <summary>A binding reached its expiry.</summary>
public sealed record BindingExpired(
    Guid EventId,
    Guid BindingId,
    string CallerId,
    string BusinessLine,
    string OrderId,
    int BindingVersion,
    DateTimeOffset OccurredAt,
    string SecretNo,
    string SubsId,
    string PartyAMasked,
    string? PartyBMasked,
    DateTimeOffset ExpiresAt) : IBindingEvent
{
    public int SchemaVersion => BindingEventSchema.Version;
}

/// <summary>The provider refused to create a binding; <see cref="Reason"/> is our error code.</summary>
public sealed record BindingFailed(
    Guid EventId,
    Guid BindingId,
    string CallerId,
    string BusinessLine,
    string OrderId,
    int BindingVersion,
    DateTimeOffset OccurredAt,
    string PartyAMasked,
    string? PartyBMasked,
    string Reason) : IBindingEvent
{
    public int SchemaVersion => BindingEventSchema.Version;
}
