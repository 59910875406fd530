namespace BindingService.Infrastructure.Jobs.Reconciliation;

/// <summary>What one reconciler run did; logged once per run and exported as counters (outcome tag = property name).</summary>
public sealed class ReconciliationSummary
{
    /// <summary>Pools whose X numbers were walked.</summary>
    public int PoolsScanned { get; set; }

    /// <summary>Pools skipped because another replica was reconciling them.</summary>
    public int PoolsBusy { get; set; }

    /// <summary>X numbers asked for their bindings (QuerySubsId).</summary>
    public int NumbersScanned { get; set; }

    /// <summary>Pending bindings found at the provider and made Active (BindingCreated).</summary>
    public int Adopted { get; set; }

    /// <summary>Pending bindings the provider does not have, marked Failed (BindingFailed).</summary>
    public int Failed { get; set; }

    /// <summary>Provider bindings no binding of ours owns, unbound.</summary>
    public int OrphansUnbound { get; set; }

    /// <summary>
    /// Provider bindings nobody of ours owns whose parties match no binding of ours in the pool: another system's in a
    /// shared pool, left alone.
    /// </summary>
    public int ForeignLeft { get; set; }

    /// <summary>Provider bindings still in effect although ours ended (released, expired, failed), unbound.</summary>
    public int StaleUnbound { get; set; }

    /// <summary>Active bindings compared with QuerySubscriptionDetail.</summary>
    public int DriftChecked { get; set; }

    /// <summary>Active bindings whose parties or expiry differed at the provider, pushed back to ours.</summary>
    public int DriftRepaired { get; set; }

    /// <summary>Active bindings the provider no longer has before their expiry, marked Released (EndedAtProvider).</summary>
    public int EndedAtProvider { get; set; }

    /// <summary>Provider calls that failed; what they concerned is retried next run.</summary>
    public int ProviderErrors { get; set; }

    public bool IsEmpty =>
        PoolsScanned == 0 && Adopted == 0 && Failed == 0 && OrphansUnbound == 0 && StaleUnbound == 0
        && DriftChecked == 0 && ProviderErrors == 0;

    public override string ToString() =>
        $"pools={PoolsScanned} busy={PoolsBusy} numbers={NumbersScanned} adopted={Adopted} failed={Failed} orphans={OrphansUnbound} foreign={ForeignLeft} " +
        $"stale={StaleUnbound} drift_checked={DriftChecked} repaired={DriftRepaired} ended={EndedAtProvider} provider_errors={ProviderErrors}";

    public void Add(ReconciliationSummary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        PoolsScanned += other.PoolsScanned;
        PoolsBusy += other.PoolsBusy;
        NumbersScanned += other.NumbersScanned;
        Adopted += other.Adopted;
        Failed += other.Failed;
        OrphansUnbound += other.OrphansUnbound;
        ForeignLeft += other.ForeignLeft;
        StaleUnbound += other.StaleUnbound;
        DriftChecked += other.DriftChecked;
        DriftRepaired += other.DriftRepaired;
        EndedAtProvider += other.EndedAtProvider;
        ProviderErrors += other.ProviderErrors;
    }

    /// <summary>The counts as (outcome, value) pairs for the metrics, zeros left out.</summary>
    public IEnumerable<(string Outcome, int Count)> Outcomes()
    {
        (string, int)[] all =
        [
            ("adopted", Adopted), ("failed", Failed), ("orphan_unbound", OrphansUnbound), ("foreign_left", ForeignLeft), ("stale_unbound", StaleUnbound),
            ("drift_checked", DriftChecked), ("drift_repaired", DriftRepaired), ("ended_at_provider", EndedAtProvider),
            ("provider_error", ProviderErrors), ("number_scanned", NumbersScanned),
        ];
        return all.Where(o => o.Item2 > 0);
    }
}
