namespace BindingService.Infrastructure.Jobs.Reconciliation;

/// <summary>Configuration section "Jobs:Reconciler" (docs/operations.md, "Reconciler").</summary>
public sealed class ReconcilerOptions
{
    public const string SectionName = "Jobs:Reconciler";

    /// <summary>Run the reconciler in this instance (safe on any number of replicas).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Pause between runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Age after which a Pending binding is settled: adopted when the provider has it, otherwise Failed. Must exceed
    /// the longest a protect request can take (Aliyun:Resilience:TotalTimeout), so no request is still binding it.
    /// </summary>
    public TimeSpan PendingAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Minimum age (the provider's GmtCreate) of a provider binding we do not own before it is unbound.</summary>
    public TimeSpan OrphanAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often each pool's X numbers are walked for orphans when nothing is pending there (shared by replicas).</summary>
    public TimeSpan OrphanScanInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The X numbers walked: every X of an Active binding, of a binding created this recently, and of the pool's inventory.</summary>
    public TimeSpan NumberLookback { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Each Active binding is compared with QuerySubscriptionDetail at most once per this interval.</summary>
    public TimeSpan DriftCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Active bindings compared per run (the drift check's batch).</summary>
    public int DriftChecksPerRun { get; set; } = 200;

    /// <summary>A binding changed more recently than this is not drift-checked yet (a change may be between provider and database).</summary>
    public TimeSpan DriftSettle { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Ceiling on the reconciler's own provider calls per second in this instance, leaving the rate limit to live traffic.</summary>
    public double ProviderCallsPerSecond { get; set; } = 20;

    internal bool IsValid() =>
        Interval > TimeSpan.Zero && Interval <= TimeSpan.FromHours(1)
        && PendingAfter >= TimeSpan.Zero && OrphanAfter >= TimeSpan.Zero
        && OrphanScanInterval > TimeSpan.Zero && NumberLookback > TimeSpan.Zero
        && DriftCheckInterval > TimeSpan.Zero && DriftSettle >= TimeSpan.Zero
        && DriftChecksPerRun is >= 0 and <= 100_000
        && ProviderCallsPerSecond is > 0 and <= 10_000;
}
