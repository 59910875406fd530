namespace BindingService.Infrastructure.Jobs.Retention;

/// <summary>Configuration section "Jobs:Retention": how long the numbers of ended bindings are kept.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Jobs:Retention";

    /// <summary>Run the job in this instance.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The numbers of a binding that ended (Failed, Released, Expired) longer ago than this are erased.</summary>
    public TimeSpan NumberRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Bindings erased per statement; a run repeats until a batch is short.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Pause between runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    internal bool IsValid() =>
        NumberRetention > TimeSpan.Zero && BatchSize is >= 1 and <= 100_000 && Interval > TimeSpan.Zero && Interval <= TimeSpan.FromDays(1);
}
