using System.ComponentModel.DataAnnotations;

namespace BindingService.Infrastructure.Messaging;

/// <summary>Configuration section "RabbitMq".</summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public ushort Port { get; set; } = 5672;

    [Required]
    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "guest";

    [Required]
    public string Password { get; set; } = "guest";
}

/// <summary>Configuration section "Outbox".</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Rows taken per transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Publishes of one batch in flight at once. A batch holds at most one row per binding, so rows of a batch never
    /// need each other's order; waiting for each broker confirmation in turn would cap the dispatcher at one round trip
    /// per event (docs/performance.md).
    /// </summary>
    [Range(1, 1_000)]
    public int PublishConcurrency { get; set; } = 32;

    /// <summary>
    /// How long the dispatcher waits, after a wake-up or a batch that was not full, before it claims rows: the events
    /// of the requests that finish meanwhile go in the same claim, publish and commit instead of one transaction each
    /// (docs/performance.md). Adds at most this much to an event's delay; zero claims at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>How often to look for rows when nothing signalled.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one publish may wait for the broker before the batch is retried later.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause after a failed batch (broker or database down).</summary>
    public TimeSpan ErrorBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Run the dispatcher (and the pruner) in this instance.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the backlog gauges (unsent rows, age of the oldest) are refreshed from the database.</summary>
    public TimeSpan BacklogMetricsInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Sent rows older than this (by sent_at) are deleted. Unsent rows are never deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the pruner runs.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement (bounded, so one prune never holds many locks or a long transaction).</summary>
    [Range(1, 100_000)]
    public int PruneBatchSize { get; set; } = 1000;
}
