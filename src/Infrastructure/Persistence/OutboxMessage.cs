using System.Diagnostics;
using BindingService.Infrastructure.Messaging;

namespace BindingService.Infrastructure.Persistence;

/// <summary>An integration event waiting to be published (transactional outbox).</summary>
public sealed class OutboxMessage
{
    /// <summary>
    /// A new row takes the trace context of the code writing it (<see cref="Activity.Current"/>: the HTTP request, or
    /// the job run of <see cref="Jobs.PeriodicJob"/>), so every writer stores it without doing anything. A row read
    /// from the database gets its stored values instead (EF Core sets every mapped property after construction).
    /// </summary>
    public OutboxMessage()
    {
        (TraceParent, TraceState) = OutboxTracing.Capture(Activity.Current);
    }

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

    // Set by EF when a row is read; the dispatcher changes them in the database only (OutboxDispatcher.MarkAsync).
    public DateTimeOffset? SentAt { get; init; }

    public int Attempts { get; init; }

    public string? LastError { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the activity that wrote the row; the dispatcher's publish span continues it. Null
    /// for rows written without an activity or before the column existed (published in a trace of their own).
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that went with <see cref="TraceParent"/>, if any (at most 512 characters).</summary>
    public string? TraceState { get; init; }
}
