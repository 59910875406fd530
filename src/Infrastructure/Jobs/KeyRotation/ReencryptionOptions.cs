namespace BindingService.Infrastructure.Jobs.KeyRotation;

/// <summary>Configuration section "Jobs:Reencryption": the job that moves stored numbers to the active keys.</summary>
public sealed class ReencryptionOptions
{
    public const string SectionName = "Jobs:Reencryption";

    /// <summary>Run the job in this instance.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Rows locked and rewritten per transaction.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Pause between runs; a run walks every table once.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    internal bool IsValid() => BatchSize is >= 1 and <= 10_000 && Interval > TimeSpan.Zero && Interval <= TimeSpan.FromDays(1);
}
