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

/// <summary>
/// Every <see cref="PoolCapacityOptions.CheckInterval"/>, compares each local pool's free capacity with the threshold
/// and, when it drops below, logs the warning <c>Pool capacity low</c> and counts <c>bindingservice.pool.capacity.low</c>
/// (once per drop and replica; back above the threshold re-arms it). The alert BindingServicePoolCapacityLow watches
/// the gauge itself (docs/operations.md, "Alerts").
/// </summary>
internal sealed partial class PoolCapacityWatch(
    PoolUtilisationMetrics metrics,
    IOptionsMonitor<PoolCapacityOptions> options,
    TimeProvider clock,
    ILogger<PoolCapacityWatch> logger) : BackgroundService
{
    private readonly HashSet<string> _low = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var threshold = options.CurrentValue.LowFreePairs;
            if (threshold > 0)
            {
                try
                {
                    await CheckAsync(threshold, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCheckFailed(logger, ex);
                }
            }

            await Task.Delay(options.CurrentValue.CheckInterval, clock, stoppingToken);
        }
    }

    /// <summary>One check; returns the pools that just dropped below <paramref name="threshold"/>.</summary>
    internal async Task<IReadOnlyList<string>> CheckAsync(int threshold, CancellationToken cancellationToken)
    {
        var dropped = new List<string>();
        foreach (var pool in (await metrics.MeasureAsync(cancellationToken)).GroupBy(r => r.PoolKey))
        {
            var free = pool.Sum(r => r.PairsFree);
            if (free < threshold && _low.Add(pool.Key))
            {
                dropped.Add(pool.Key);
                metrics.CapacityLow(pool.Key);
                LogCapacityLow(logger, pool.Key, free, threshold);
            }
            else if (free >= threshold)
            {
                _low.Remove(pool.Key);
            }
        }

        return dropped;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool capacity low: pool {PoolKey} can carry {FreePairs} more pairs, below Operators:Capacity:LowFreePairs {Threshold}")]
    private static partial void LogCapacityLow(ILogger logger, string poolKey, long freePairs, int threshold);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The pool capacity check failed; the next round retries")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
