namespace BindingService.Contracts;

// Call events: what the provider's call receipts tell about calls through our virtual numbers (docs/receipts.md).
// Published on RabbitMQ like the binding events; the namespace is part of the wire contract: never move these types.
// Phone numbers appear only masked (138****1234); X (the virtual number) is what callers dial and appears in clear.
// Times are UTC.

/// <summary>
/// Every call event. A queue bound to the exchange "BindingService.Contracts:ICallEvent" receives all of them; each
/// concrete type also has its own exchange. Events of one call are published in the order they happened
/// (CallStarted before CallEnded before RecordingReady/TranscriptReady), however the receipts arrived.
/// </summary>
public interface ICallEvent
{
    /// <summary>Stable per event; also the message's MessageId. Use it to de-duplicate (delivery is at-least-once).</summary>
    Guid EventId { get; }

    /// <summary>The provider's call id.</summary>
    string CallId { get; }

    /// <summary>Our binding the call went through (or, for <see cref="CallToUnboundNumber"/>, the one that had ended); null when none is known.</summary>
    Guid? BindingId { get; }

    /// <summary>The caller (tenant) owning the binding; null when no binding is known.</summary>
    string? CallerId { get; }

    /// <summary>ride, delivery or generic; null when no binding is known.</summary>
    string? BusinessLine { get; }

    string? OrderId { get; }

    DateTimeOffset OccurredAt { get; }

    /// <summary>The shape of the event (<see cref="CallEventSchema.Version"/>).</summary>
    int SchemaVersion { get; }
}

/// <summary>The version of the call events' shape, sent as <c>schemaVersion</c>.</summary>
public static class CallEventSchema
{
    public const int Version = 1;
}

/// <summary>
/// A call reached a virtual number and a binding in effect routed it. <see cref="Direction"/>: fromPartyA (A called
/// through X), toPartyA (the other side called A through X) or intercepted.
/// </summary>
public sealed record CallStarted(
    Guid EventId,
    string CallId,
    Guid? BindingId,
    string? CallerId,
    string? BusinessLine,
    string? OrderId,
    DateTimeOffset OccurredAt,
    string Direction,
    string CallerMasked,
    string? CalleeMasked,
    string SecretNo,
    string? PoolKey,
    DateTimeOffset CallTime) : ICallEvent
{
    public int SchemaVersion => CallEventSchema.Version;
}

/// <summary>
/// A call through a binding in effect ended. <see cref="Connected"/> is whether the called party answered; when not,
/// <see cref="NotConnectedReason"/> says why: blacklisted, noBinding, callRestricted, noAnswer or other.
/// <see cref="ReleaseDirection"/> is platform, caller or callee; <see cref="ReleaseCause"/> the ITU Q.850 cause
/// (16 normal clearing, 17 busy, 19 no answer, …). <see cref="Rang"/> tells whether the called phone really rang.
/// </summary>
public sealed record CallEnded(
    Guid EventId,
    string CallId,
    Guid? BindingId,
    string? CallerId,
    string? BusinessLine,
    string? OrderId,
    DateTimeOffset OccurredAt,
    string Direction,
    string CallerMasked,
    string? CalleeMasked,
    string SecretNo,
    DateTimeOffset CallTime,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    int DurationSeconds,
    bool Connected,
    string? NotConnectedReason,
    string? ReleaseDirection,
    int? ReleaseCause,
    bool Rang) : ICallEvent
{
    public int SchemaVersion => CallEventSchema.Version;
}

/// <summary>The call's recording can be fetched: GET /v1/calls/{callId}/recording answers a short-lived URL.</summary>
public sealed record RecordingReady(
    Guid EventId,
    string CallId,
    Guid? BindingId,
    string? CallerId,
    string? BusinessLine,
    string? OrderId,
    DateTimeOffset OccurredAt,
    string SecretNo,
    DateTimeOffset CallTime,
    DateTimeOffset AvailableUntil) : ICallEvent
{
    public int SchemaVersion => CallEventSchema.Version;
}

/// <summary>The call's transcript can be read: GET /v1/calls/{callId}/transcript.</summary>
public sealed record TranscriptReady(
    Guid EventId,
    string CallId,
    Guid? BindingId,
    string? CallerId,
    string? BusinessLine,
    string? OrderId,
    DateTimeOffset OccurredAt,
    string SecretNo,
    int Sentences,
    long DurationMs) : ICallEvent
{
    public int SchemaVersion => CallEventSchema.Version;
}

/// <summary>
/// A call reached X while no binding of ours was in effect for the caller: <see cref="Reason"/> is noSubsExist (the
/// provider found no binding), noBinding (the provider refused it for that reason) or bindingEnded (our binding had
/// already ended). The binding, order and business line are those of the caller's last binding on X, when one is
/// known, so the business can react (e.g. a customer calling a courier after the order ended).
/// </summary>
public sealed record CallToUnboundNumber(
    Guid EventId,
    string CallId,
    Guid? BindingId,
    string? CallerId,
    string? BusinessLine,
    string? OrderId,
    DateTimeOffset OccurredAt,
    string CallerMasked,
    string SecretNo,
    string? PoolKey,
    DateTimeOffset CallTime,
    string Reason) : ICallEvent
{
    public int SchemaVersion => CallEventSchema.Version;
}

/// <summary>
/// An SMS sent to a virtual number was intercepted by the provider (its SecretSmsIntercept receipt). The SMS text is
/// never published (nor stored): only who sent it (masked), to whom it would go (masked), X and when.
/// <see cref="CallId"/> is the provider's id of the SMS (what ConfirmSendSms takes). <see cref="InterceptType"/>:
/// normal (a binding in effect routed it), noBinding (no binding on X for the sender), controlDisabled (a call/SMS
/// restriction or blacklist refused it), recipientNotFound (the binding has no party to send it to) or other.
/// <see cref="Smart"/> is true for the provider's "smart SMS" (sms_type 3). <see cref="DeliveryCode"/> is the
/// provider's delivery status when it sends one (DELIVRD, REJECTD, UNDELIV, EXPIRED, ACCEPTD). The binding, order and
/// business line are the binding the SMS went through, else the sender's last binding on X, when one is known.
/// <see cref="EventId"/> is the same for every receipt of one SMS.
/// </summary>
public sealed record SmsIntercepted(
    Guid EventId,
    string CallId,
    Guid? BindingId,
    string? CallerId,
    string? BusinessLine,
    string? OrderId,
    DateTimeOffset OccurredAt,
    string SenderMasked,
    string? RecipientMasked,
    string SecretNo,
    string? PoolKey,
    DateTimeOffset SentAt,
    string InterceptType,
    bool Smart,
    string? DeliveryCode) : ICallEvent
{
    public int SchemaVersion => CallEventSchema.Version;
}

/// <summary>
/// The provider reported a virtual number abnormal (<see cref="Healthy"/> false: it is no longer chosen for new
/// bindings in local pools) or normal again.
/// </summary>
public sealed record VirtualNumberHealthChanged(
    Guid EventId,
    string SecretNo,
    bool Healthy,
    DateTimeOffset ReportedAt,
    DateTimeOffset OccurredAt)
{
    public int SchemaVersion => CallEventSchema.Version;
}
