using System.Diagnostics.Metrics;
using BindingService.Infrastructure.Health;
using BindingService.Infrastructure.Numbers;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BindingService.Infrastructure.Operators;

/// <summary>
/// Meter <c>BindingService.Pools</c>: the utilisation of every pool in local selection mode, per pool and city —
/// numbers by state, pairs in use, free capacity (pairs still available on selectable numbers) — measured from
/// <c>pool_numbers</c> in the background when observed (one query per second at most, shared by the gauges; a scrape
/// sees the figures measured after the one before it, see <see cref="DatabaseGauge{T}"/>), so every replica reports
/// the same global figures: aggregate with max, not sum. Tags carry the pool key, the city and the number state only.
/// </summary>
public sealed class PoolUtilisationMetrics : IDisposable
{
    public const string MeterName = "BindingService.Pools";
    public const string NumbersName = "bindingservice.pool.numbers";
    public const string PairsUsedName = "bindingservice.pool.pairs.used";
    public const string PairsFreeName = "bindingservice.pool.pairs.free";
    public const string CapacityLowName = "bindingservice.pool.capacity.low";

    private readonly Meter _meter;
    private readonly Counter<long> _capacityLow;
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptionsMonitor<NumberSelectionOptions> _selection;
    private readonly DatabaseGauge<IReadOnlyList<PoolCityUtilisation>> _snapshot;

    public PoolUtilisationMetrics(IMeterFactory meterFactory, IServiceScopeFactory scopes, IOptionsMonitor<NumberSelectionOptions> selection)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _scopes = scopes;
        _selection = selection;
        _snapshot = new DatabaseGauge<IReadOnlyList<PoolCityUtilisation>>(MeasureAsync, refreshAfter: TimeSpan.FromSeconds(1), maxAge: TimeSpan.FromMinutes(5), timeout: TimeSpan.FromSeconds(5));
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge(NumbersName, ObserveNumbers, unit: "{number}", description: "Virtual numbers of a local pool, per city and state (Available, Locked, Frozen, Unhealthy).");
        _meter.CreateObservableGauge(PairsUsedName, () => Observe(r => r.PairsUsed), unit: "{pair}", description: "Open bindings (pairs) on the numbers of a local pool, per city.");
        _meter.CreateObservableGauge(PairsFreeName, () => Observe(r => r.PairsFree), unit: "{pair}", description: "Pairs a local pool can still carry on its selectable numbers, per city (MaxPairsPerNumber minus pairs in use).");
        _capacityLow = _meter.CreateCounter<long>(CapacityLowName, unit: "{event}", description: "Times a pool's free capacity dropped below Operators:Capacity:LowFreePairs.");
    }

    /// <summary>A pool's free capacity dropped below the threshold.</summary>
    public void CapacityLow(string poolKey) => _capacityLow.Add(1, new KeyValuePair<string, object?>("pool", poolKey));

    /// <summary>The utilisation now, per local pool, city and state (read from the database).</summary>
    public async Task<IReadOnlyList<PoolCityUtilisation>> MeasureAsync(CancellationToken cancellationToken)
    {
        var pools = _selection.CurrentValue.Pools.Where(p => p.Value.Mode == NumberSelectionMode.Local).ToDictionary(p => p.Key, p => p.Value.MaxPairsPerNumber, StringComparer.Ordinal);
        if (pools.Count == 0)
        {
            return [];
        }

        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT pool_key, city, state, count(*)::int, coalesce(sum(active_pairs), 0)::int, max(active_pairs)
            FROM pool_numbers WHERE pool_key = ANY(@pools)
            GROUP BY pool_key, city, state, active_pairs
            """,
            connection);
        command.Parameters.AddWithValue("pools", pools.Keys.ToArray());
        var rows = new List<(string Pool, string City, string State, int Numbers, int Pairs, int PerNumber)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5)));
            }
        }

        return rows
            .GroupBy(r => (r.Pool, r.City, r.State))
            .Select(g => new PoolCityUtilisation(
                g.Key.Pool,
                g.Key.City,
                g.Key.State,
                g.Sum(r => r.Numbers),
                g.Sum(r => r.Pairs),
                g.Key.State == nameof(PoolNumberState.Available) ? g.Sum(r => r.Numbers * Math.Max(0, pools[g.Key.Pool] - r.PerNumber)) : 0))
            .ToList();
    }

    public void Dispose()
    {
        _meter.Dispose();
        _snapshot.Dispose();
    }

    private IEnumerable<Measurement<long>> ObserveNumbers() =>
        Snapshot()?.Select(r => new Measurement<long>(r.Numbers, Tags(r, withState: true))) ?? [];

    private IEnumerable<Measurement<long>> Observe(Func<PoolCityUtilisation, long> value) =>
        Snapshot()?.GroupBy(r => (r.PoolKey, r.City)).Select(g => new Measurement<long>(g.Sum(value), Tags(g.First(), withState: false))) ?? [];

    private static KeyValuePair<string, object?>[] Tags(PoolCityUtilisation row, bool withState) => withState
        ? [new("pool", row.PoolKey), new("city", row.City), new("state", row.State)]
        : [new("pool", row.PoolKey), new("city", row.City)];

    private IReadOnlyList<PoolCityUtilisation>? Snapshot() => _snapshot.TryObserve(out var rows) ? rows : null;
}

/// <summary>One (pool, city, state) of a local pool: numbers, pairs in use, free pairs (only Available numbers have any).</summary>
public sealed record PoolCityUtilisation(string PoolKey, string City, string State, long Numbers, long PairsUsed, long PairsFree);
