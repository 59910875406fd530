using BindingService.Domain.Common;

namespace BindingService.Domain.Bindings.Events;

/// <summary>
/// A binding's state changed. Carries a <see cref="BindingSnapshot"/> of the binding taken when the event was raised,
/// so what consumers are told is the state of that moment, not whatever the aggregate holds when it is saved.
/// </summary>
public abstract record BindingDomainEvent(BindingSnapshot Binding, DateTimeOffset OccurredAt) : IDomainEvent
{
    /// <summary>The binding's version right after this change (1 for the first change).</summary>
    public int Version => Binding.Version;
}

public sealed record BindingActivated(BindingSnapshot Binding, DateTimeOffset OccurredAt) : BindingDomainEvent(Binding, OccurredAt);

public sealed record BindingFailed(BindingSnapshot Binding, string Reason, DateTimeOffset OccurredAt) : BindingDomainEvent(Binding, OccurredAt);

public sealed record BindingReleased(BindingSnapshot Binding, ReleaseReason Reason, DateTimeOffset OccurredAt) : BindingDomainEvent(Binding, OccurredAt);

public sealed record BindingExpired(BindingSnapshot Binding, DateTimeOffset OccurredAt) : BindingDomainEvent(Binding, OccurredAt);

/// <summary>An Active binding changed in place (B, expiry, recording, restriction, group, tracking number, completion).</summary>
public sealed record BindingUpdated(BindingSnapshot Binding, IReadOnlyList<BindingChange> Changes, DateTimeOffset OccurredAt) : BindingDomainEvent(Binding, OccurredAt);

/// <summary>The values of a <see cref="Bindings.Binding"/> at one moment. Immutable: later changes do not reach it.</summary>
public sealed record BindingSnapshot(
    BindingId Id,
    OrderKey Order,
    BindingProduct Product,
    string PoolKey,
    PhoneNumber PartyA,
    PhoneNumber? PartyB,
    string? SubsId,
    string? SecretNo,
    string? Extension,
    long? GroupId,
    bool RecordingEnabled,
    CallRestriction CallRestriction,
    string? TrackingNumber,
    DateTimeOffset? CompletedAt,
    DateTimeOffset ExpiresAt,
    BindingStatus Status,
    int Version);
