using BindingService.AliyunSimulator.Configuration;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.State;

/// <summary>
/// The simulator's in-memory provider state behind one lock. Each action runs its checks and changes inside
/// <see cref="Transact{T}"/>, so a call is atomic against every other (two concurrent BindAxb calls can never both
/// take the last free slot). The work done under the lock is small and never waits on I/O.
/// </summary>
public sealed class SimulatorStore
{
    private readonly Lock gate = new();
    private readonly SimulatorState state;

    public SimulatorStore(IOptions<SimulatorOptions> options)
    {
        var settings = options.Value;
        var pools = settings.Pools.Select(p =>
        {
            var pool = new Pool(p.PoolKey, p.Product, p.StrictCityMatch);
            pool.Numbers.AddRange(PoolNumbers.Expand(p).Select(n => new SecretNumber(n.SecretNo, p.PoolKey, n.City, n.Locked, n.Frozen)));
            return pool;
        });
        state = new SimulatorState(pools, settings.Seed);
    }

    public T Transact<T>(Func<SimulatorState, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (gate)
        {
            return work(state);
        }
    }

    public void Transact(Action<SimulatorState> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (gate)
        {
            work(state);
        }
    }

    public IReadOnlyList<BindingSnapshot> Bindings(DateTimeOffset now) =>
        Transact(s => s.Bindings.Select(b => b.Snapshot(now)).ToList());

    public void Reset() => Transact(s => s.Reset());
}
