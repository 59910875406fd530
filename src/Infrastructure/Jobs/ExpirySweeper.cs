using System.Diagnostics;
using BindingService.Application.Bindings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Jobs;

/// <summary>
/// Expires Active bindings past their expiry, every Interval, through <see cref="BindingLifecycle.ExpireDueAsync"/>:
/// each batch is one transaction whose due rows are taken with <c>FOR UPDATE SKIP LOCKED</c> (so replicas never take
/// the same binding twice) and saved with their <c>BindingExpired</c> outbox rows and released number reservations.
/// The provider is not called: it expires its side by itself. A batch that has started finishes on shutdown; no new
/// batch starts once stopping.
/// </summary>
internal sealed partial class ExpirySweeper(
    IServiceScopeFactory scopes,
    IOptions<ExpirySweeperOptions> options,
    ExpirySweeperMetrics metrics,
    TimeProvider clock,
    ILogger<ExpirySweeper> logger) : PeriodicJob(clock, logger)
{
    protected override string JobName => "Expiry sweeper";

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task RunScheduledAsync(CancellationToken stoppingToken) => RunAsync(options.Value, stoppingToken);

    /// <summary>Takes batches until one is not full (or the service is stopping); returns how many bindings expired.</summary>
    public async Task<int> RunAsync(ExpirySweeperOptions settings, CancellationToken stoppingToken)
    {
        var total = 0;
        var batches = 0;
        var lag = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            // A started batch is not cancelled by shutdown: it is short and the host waits for it (grace period).
            var (expired, oldestDue) = await ExpireBatchAsync(settings.BatchSize, CancellationToken.None);
            if (expired == 0)
            {
                break;
            }

            batches++;
            total += expired;
            if (batches == 1)
            {
                lag = oldestDue;
            }

            if (expired < settings.BatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogSwept(logger, total, batches, lag.TotalSeconds);
        }

        return total;
    }

    /// <summary>One batch, one transaction (<see cref="BindingLifecycle.ExpireDueAsync"/>), in a scope of its own.</summary>
    private async Task<(int Expired, TimeSpan Lag)> ExpireBatchAsync(int batchSize, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var batch = await scope.ServiceProvider.GetRequiredService<BindingLifecycle>().ExpireDueAsync(batchSize, cancellationToken);
        metrics.BatchCompleted(Stopwatch.GetElapsedTime(started));
        if (batch.Expired > 0)
        {
            metrics.Expired(batch.Expired);
        }

        return (batch.Expired, batch.Lag);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expiry sweeper expired {Count} bindings in {Batches} batches; lag was {LagSeconds:F1} s")]
    private static partial void LogSwept(ILogger logger, int count, int batches, double lagSeconds);
}
