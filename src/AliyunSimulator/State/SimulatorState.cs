namespace BindingService.AliyunSimulator.State;

/// <summary>
/// The provider's state as an action sees it inside <see cref="SimulatorStore.Transact{T}"/>: pools, numbers and
/// bindings, the seeded random source and the SubsId sequence. Never keep a reference to it, or to anything it
/// hands out, beyond the transaction.
/// </summary>
public sealed partial class SimulatorState
{
    // 16-digit numeric SubsIds, as in the documents' examples (1000000768798832). Not reset by a reset, so an id
    // is never handed out twice by one simulator.
    private const long FirstSubsId = 1_000_000_700_000_001;

    private readonly Dictionary<string, Pool> pools;
    private readonly Dictionary<string, SecretNumber> numbers;
    private readonly Dictionary<string, Binding> bindings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Binding>> bindingsByX = new(StringComparer.Ordinal);
    private readonly int seed;
    private long lastSubsId = FirstSubsId - 1;

    internal SimulatorState(IEnumerable<Pool> pools, int seed)
    {
        this.pools = pools.ToDictionary(p => p.PoolKey, StringComparer.Ordinal);
        numbers = this.pools.Values.SelectMany(p => p.Numbers).ToDictionary(n => n.SecretNo, StringComparer.Ordinal);
        this.seed = seed;
        Random = new Random(seed);
    }

    public IReadOnlyDictionary<string, Pool> Pools => pools;

    public IReadOnlyDictionary<string, SecretNumber> Numbers => numbers;

    /// <summary>Every binding, in creation order.</summary>
    public IEnumerable<Binding> Bindings => bindings.Values.OrderBy(b => b.SubsId, StringComparer.Ordinal);

    /// <summary>Seeded by <c>Simulator:Seed</c> (and re-seeded by a reset): the same calls make the same choices.</summary>
    public Random Random { get; private set; }

    public string NextSubsId() => (++lastSubsId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Binding? FindBinding(string subsId) => bindings.GetValueOrDefault(subsId);

    /// <summary>The bindings on X that are in effect at <paramref name="now"/> (expired ones block nothing, docs/provider-rules.md R-UNB-2).</summary>
    public List<Binding> ActiveBindingsOn(string secretNo, DateTimeOffset now) =>
        bindingsByX.TryGetValue(secretNo, out var onX) ? onX.Where(b => b.IsActiveAt(now)).ToList() : [];

    /// <summary>Every binding on X, in effect or expired, until UnbindSubscription removes it (R-NUM-7: they all block a release).</summary>
    public int BindingCountOn(string secretNo) => bindingsByX.TryGetValue(secretNo, out var onX) ? onX.Count : 0;

    public void Add(Binding binding)
    {
        bindings.Add(binding.SubsId, binding);
        if (!bindingsByX.TryGetValue(binding.SecretNo, out var onX))
        {
            bindingsByX[binding.SecretNo] = onX = [];
        }

        onX.Add(binding);
    }

    public bool Remove(Binding binding)
    {
        if (!bindings.Remove(binding.SubsId))
        {
            return false;
        }

        bindingsByX[binding.SecretNo].Remove(binding);
        return true;
    }

    /// <summary>Back to the configured start: no bindings, numbers unlocked/unfrozen as configured, the seed restarted.</summary>
    internal void Reset()
    {
        bindings.Clear();
        bindingsByX.Clear();
        foreach (var number in numbers.Values)
        {
            number.Restore();
        }

        ResetBindingExtras();
        ResetNumberExtras();
        Random = new Random(seed);
    }

    /// <summary>Resets the state the binding, group and logistics actions add (SimulatorState.Bindings*.cs).</summary>
    partial void ResetBindingExtras();

    /// <summary>Resets the state the number, blacklist, call-record and encryption actions add (SimulatorState.Numbers*.cs).</summary>
    partial void ResetNumberExtras();
}
