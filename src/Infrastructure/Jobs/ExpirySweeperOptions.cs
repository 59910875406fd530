namespace BindingService.Infrastructure.Jobs;

/// <summary>Configuration section "Jobs:ExpirySweeper".</summary>
public sealed class ExpirySweeperOptions
{
    public const string SectionName = "Jobs:ExpirySweeper";

    /// <summary>Run the sweeper in this instance. The lag gauge is reported either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Due bindings taken (and locked) per transaction.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Pause between runs; a run takes batches until one is not full.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    internal bool IsValid() => BatchSize is >= 1 and <= 10_000 && Interval > TimeSpan.Zero && Interval <= TimeSpan.FromHours(1);
}
