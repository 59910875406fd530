using System.Diagnostics.Metrics;

namespace BindingService.Infrastructure.Messaging;

/// <summary>
/// The instruments of the "BindingService.Outbox" meter. The backlog gauges report the last snapshot taken by
/// <see cref="OutboxDispatcher"/> (a database query never runs inside a metrics callback). Every replica that runs the
/// dispatcher reports the same, global backlog: aggregate with max, not sum.
/// </summary>
public static class OutboxMetrics
{
    public const string MeterName = "BindingService.Outbox";

    private static readonly Meter Meter = new(MeterName);
    private static BacklogSnapshot? _backlog;

    internal static readonly Counter<long> Published = Meter.CreateCounter<long>("bindingservice.outbox.published", unit: "{message}", description: "Outbox events published to the broker");

    internal static readonly Counter<long> Failures = Meter.CreateCounter<long>("bindingservice.outbox.publish_failures", description: "Outbox publishes or batches that failed (retried later)");

    internal static readonly Counter<long> Pruned = Meter.CreateCounter<long>("bindingservice.outbox.pruned", unit: "{message}", description: "Sent outbox rows deleted after the retention period");

    static OutboxMetrics()
    {
        Meter.CreateObservableGauge(
            "bindingservice.outbox.backlog",
            () => _backlog is { } b ? [new Measurement<long>(b.Unsent)] : Array.Empty<Measurement<long>>(),
            unit: "{message}",
            description: "Outbox rows not yet published (last snapshot)");
        Meter.CreateObservableGauge(
            "bindingservice.outbox.oldest_unsent_age",
            () => _backlog is { } b ? [new Measurement<double>(b.OldestAgeSeconds(TimeProvider.System.GetUtcNow()))] : Array.Empty<Measurement<double>>(),
            unit: "s",
            description: "Age of the oldest unpublished outbox row (0 when none)");
    }

    /// <summary>The backlog now: rows unsent and when the oldest of them occurred.</summary>
    internal static void RecordBacklog(long unsent, DateTimeOffset? oldestOccurredAt) =>
        _backlog = new BacklogSnapshot(unsent, oldestOccurredAt);

    /// <summary>The last snapshot (for tests and health).</summary>
    public static (long Unsent, DateTimeOffset? OldestOccurredAt)? LastBacklog => _backlog is { } b ? (b.Unsent, b.OldestOccurredAt) : null;

    private sealed record BacklogSnapshot(long Unsent, DateTimeOffset? OldestOccurredAt)
    {
        // The age keeps growing between snapshots (e.g. while the database is unreachable) instead of freezing.
        public double OldestAgeSeconds(DateTimeOffset now) =>
            OldestOccurredAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0;
    }
}
