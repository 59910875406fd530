using BindingService.Contracts;
using BindingService.Infrastructure.Messaging;
using BindingService.Infrastructure.Numbers;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Operators;

/// <summary>Configuration section <c>Operators:Capacity</c>: when a local pool counts as running low.</summary>
public sealed class PoolCapacityOptions
{
    public const string SectionName = "Operators:Capacity";

    /// <summary>A pool whose free pairs (all cities) drop below this is low; 0 turns the check off.</summary>
    public int LowFreePairs { get; set; } = 50;

    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsValid() => LowFreePairs >= 0 && CheckInterval >= TimeSpan.FromSeconds(1) && CheckInterval <= TimeSpan.FromHours(1);
}

/// <summary>One row of <c>pool_capacity_states</c>: whether a local pool was last seen low, shared by every replica.</summary>
public sealed class PoolCapacityStateRow
{
    public string PoolKey { get; set; } = string.Empty;

    public bool Low { get; set; }

    /// <summary>Free pairs when the state last changed.</summary>
    public long FreePairs { get; set; }

    public int Threshold { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

internal sealed class PoolCapacityStateConfiguration : IEntityTypeConfiguration<PoolCapacityStateRow>
{
    public void Configure(EntityTypeBuilder<PoolCapacityStateRow> builder)
    {
        builder.ToTable("pool_capacity_states");
        builder.HasKey(s => s.PoolKey);
        builder.Property(s => s.PoolKey).HasMaxLength(64);
    }
}

/// <summary>A pool's capacity crossed the threshold: <see cref="Low"/> true when it dropped below, false when restored.</summary>
public sealed record PoolCapacityTransition(string PoolKey, bool Low, long FreePairs, int Threshold);

/// <summary>
/// One capacity check of every local pool, edge-triggered: in one transaction it locks the pools' rows of
/// <c>pool_capacity_states</c> (replicas checking at once wait for each other), measures the free pairs (a pool without
/// any registered number is not judged yet), and for each pool whose state changed records the new state and writes <see cref="PoolCapacityLow"/>
/// or <see cref="PoolCapacityRestored"/> to the outbox in that transaction. A pool seen for the first time counts as
/// not low, so a pool that is low from the start gets one <see cref="PoolCapacityLow"/>. Restarts and replicas repeat
/// nothing: the state is in the database.
/// </summary>
public sealed partial class PoolCapacityCheck(
    IServiceScopeFactory scopes,
    PoolUtilisationMetrics metrics,
    IOptionsMonitor<NumberSelectionOptions> selection,
    OutboxSignal outboxSignal,
    TimeProvider clock,
    ILogger<PoolCapacityCheck> logger)
{
    /// <summary>Checks every local pool against <paramref name="threshold"/>; returns the crossings it recorded.</summary>
    public async Task<IReadOnlyList<PoolCapacityTransition>> RunAsync(int threshold, CancellationToken cancellationToken)
    {
        var pools = selection.CurrentValue.Pools.Where(p => p.Value.Mode == NumberSelectionMode.Local).Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        if (pools.Length == 0)
        {
            return [];
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var transitions = await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                db.ChangeTracker.Clear();
                var now = clock.GetUtcNow();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                foreach (var pool in pools)
                {
                    await db.Database.ExecuteSqlInterpolatedAsync(
                        $"INSERT INTO pool_capacity_states (pool_key, low, free_pairs, threshold, changed_at) VALUES ({pool}, false, 0, {threshold}, {now}) ON CONFLICT (pool_key) DO NOTHING",
                        ct);
                }

                var states = await db.Set<PoolCapacityStateRow>()
                    .FromSql($"SELECT * FROM pool_capacity_states WHERE pool_key = ANY({pools}) ORDER BY pool_key FOR UPDATE")
                    .ToListAsync(ct);
                var free = (await metrics.MeasureAsync(ct)).GroupBy(r => r.PoolKey).ToDictionary(g => g.Key, g => g.Sum(r => r.PairsFree), StringComparer.Ordinal);
                var changed = new List<PoolCapacityTransition>();
                foreach (var state in states)
                {
                    if (!free.TryGetValue(state.PoolKey, out var pairs))
                    {
                        continue; // no numbers registered yet: not stocked, not judged
                    }

                    var low = pairs < threshold;
                    if (low == state.Low)
                    {
                        continue;
                    }

                    (state.Low, state.FreePairs, state.Threshold, state.ChangedAt) = (low, pairs, threshold, now);
                    var eventId = Guid.CreateVersion7(now);
                    var aggregate = OutboxRows.AggregateOfName("pool:" + state.PoolKey);
                    if (low)
                    {
                        OutboxRows.Add(db, new PoolCapacityLow(eventId, state.PoolKey, pairs, threshold, now), eventId, aggregate, now);
                    }
                    else
                    {
                        OutboxRows.Add(db, new PoolCapacityRestored(eventId, state.PoolKey, pairs, threshold, now), eventId, aggregate, now);
                    }

                    changed.Add(new PoolCapacityTransition(state.PoolKey, low, pairs, threshold));
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return changed;
            },
            cancellationToken);

        foreach (var transition in transitions)
        {
            if (transition.Low)
            {
                metrics.CapacityLow(transition.PoolKey);
                LogCapacityLow(logger, transition.PoolKey, transition.FreePairs, transition.Threshold);
            }
            else
            {
                LogCapacityRestored(logger, transition.PoolKey, transition.FreePairs, transition.Threshold);
            }
        }

        if (transitions.Count > 0)
        {
            outboxSignal.Notify();
        }

        return transitions;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool capacity low: pool {PoolKey} can carry {FreePairs} more pairs, below Operators:Capacity:LowFreePairs {Threshold}")]
    private static partial void LogCapacityLow(ILogger logger, string poolKey, long freePairs, int threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool capacity restored: pool {PoolKey} can carry {FreePairs} more pairs, at or above Operators:Capacity:LowFreePairs {Threshold}")]
    private static partial void LogCapacityRestored(ILogger logger, string poolKey, long freePairs, int threshold);
}

/// <summary>
/// Every <see cref="PoolCapacityOptions.CheckInterval"/>, runs the <see cref="PoolCapacityCheck"/>: a pool whose free
/// capacity drops below the threshold gets the warning <c>Pool capacity low</c>, the counter
/// <c>bindingservice.pool.capacity.low</c> and one <see cref="PoolCapacityLow"/> event (once per drop across replicas and
/// restarts); back at or above it, one <see cref="PoolCapacityRestored"/>. The alert BindingServicePoolCapacityLow
/// watches the gauge itself (docs/operations.md, "Alerts").
/// </summary>
internal sealed partial class PoolCapacityWatch(
    PoolCapacityCheck check,
    IOptionsMonitor<PoolCapacityOptions> options,
    TimeProvider clock,
    ILogger<PoolCapacityWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var threshold = options.CurrentValue.LowFreePairs;
            if (threshold > 0)
            {
                try
                {
                    await check.RunAsync(threshold, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCheckFailed(logger, ex);
                }
            }

            await Task.Delay(options.CurrentValue.CheckInterval, clock, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The pool capacity check failed; the next round retries")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
