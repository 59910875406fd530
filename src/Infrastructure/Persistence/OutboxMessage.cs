namespace BindingService.Infrastructure.Persistence;

/// <summary>An integration event waiting to be published (transactional outbox).</summary>
public sealed class OutboxMessage
{
    /// <summary>Also the published MessageId and the event's EventId, so consumers can de-duplicate.</summary>
    public Guid Id { get; init; }

    /// <summary>Commit order; the dispatcher publishes in this order.</summary>
    public long Sequence { get; init; }

    /// <summary>The binding the event is about.</summary>
    public Guid AggregateId { get; init; }

    /// <summary>The contract type name, e.g. BindingCreated.</summary>
    public required string MessageType { get; init; }

    /// <summary>The event as JSON (masked numbers only).</summary>
    public required string Payload { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}
