using BindingService.Domain.Common;

namespace BindingService.Domain.Bindings.Events;

/// <summary>A binding's state changed. Carries the aggregate so the outbox can describe it as it now is.</summary>
public abstract record BindingDomainEvent(Binding Binding, DateTimeOffset OccurredAt) : IDomainEvent
{
    /// <summary>The binding's version right after this change (1 for the first change).</summary>
    public int Version { get; } = Binding.Version;
}

public sealed record BindingActivated(Binding Binding, DateTimeOffset OccurredAt) : BindingDomainEvent(Binding, OccurredAt);

public sealed record BindingFailed(Binding Binding, string Reason, DateTimeOffset OccurredAt) : BindingDomainEvent(Binding, OccurredAt);

public sealed record BindingReleased(Binding Binding, ReleaseReason Reason, DateTimeOffset OccurredAt) : BindingDomainEvent(Binding, OccurredAt);

public sealed record BindingExpired(Binding Binding, DateTimeOffset OccurredAt) : BindingDomainEvent(Binding, OccurredAt);

/// <summary>An Active binding changed in place (B, expiry, recording, restriction, group, tracking number, completion).</summary>
public sealed record BindingUpdated(Binding Binding, IReadOnlyList<BindingChange> Changes, DateTimeOffset OccurredAt) : BindingDomainEvent(Binding, OccurredAt);
