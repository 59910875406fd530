namespace BindingService.Application.Calls;

/// <summary>Configuration section "Receipts": the provider's call receipts, their processing and the call log (docs/receipts.md).</summary>
public sealed class ReceiptOptions
{
    public const string SectionName = "Receipts";

    /// <summary>
    /// The per-deployment secret the provider's push URL carries (<c>?token=</c>) or a header <c>X-Receipt-Token</c> sends;
    /// compared in constant time. Empty: the receiver refuses every push (401).
    /// </summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>Optional source addresses or CIDR ranges the pushes must come from; empty: any.</summary>
    public List<string> AllowedSources { get; set; } = [];

    /// <summary>Run the receipt processor in this instance.</summary>
    public bool ProcessingEnabled { get; set; } = true;

    /// <summary>Inbox rows taken (and locked) per processing transaction.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>How often the processor looks for work when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long call records are kept (then deleted by the retention job).</summary>
    public TimeSpan CallRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long processed inbox rows are kept: duplicates are recognised within this window.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long the provider keeps recordings (14 days); after that the recording endpoint answers 404.</summary>
    public TimeSpan RecordingRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Pause between retention runs, and rows deleted per transaction.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(10);

    public int RetentionBatchSize { get; set; } = 1000;

    internal bool IsValid() =>
        BatchSize is >= 1 and <= 10_000 && PollInterval > TimeSpan.Zero && CallRetention > TimeSpan.Zero && InboxRetention > TimeSpan.Zero
        && RecordingRetention > TimeSpan.Zero && RetentionInterval > TimeSpan.Zero && RetentionBatchSize is >= 1 and <= 100_000;
}
