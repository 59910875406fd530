namespace BindingService.Infrastructure.Persistence.Idempotency;

/// <summary>Configuration section "Idempotency".</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a key is remembered. Older keys are ignored on read and deleted by the pruner.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a repeat waits for the first request with its key to finish before answering 409.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the first request holds its key. Longer than any request can run (Limits:RequestTimeout plus
    /// Protection:CommitTimeout): a repeat takes a key over only when its owner died without releasing it.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the pruner deletes expired keys.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}
