using System.Diagnostics;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Jobs;

/// <summary>
/// Marks Active bindings past their expiry as Expired, every Interval. Each batch is one transaction: the due rows
/// are taken with <c>FOR UPDATE SKIP LOCKED</c> (so replicas never take the same binding twice), expired through the
/// aggregate, and saved once — the DbContext writes the <c>BindingExpired</c> outbox rows and gives the number
/// reservations back in that transaction (invariant 4). The provider is not called: it expires its side by itself.
/// A batch that has started finishes on shutdown; no new batch starts once stopping.
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

    /// <summary>One transaction: lock up to <paramref name="batchSize"/> due Active bindings, expire them, save once.</summary>
    private async Task<(int Expired, TimeSpan Lag)> ExpireBatchAsync(int batchSize, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        var (expired, lag) = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            var now = Clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);

            // Served by the partial index ix_bindings_active_expiry (expires_at WHERE status = 'Active').
            var due = await db.Bindings
                .FromSql($"""
                    SELECT * FROM bindings
                    WHERE status = 'Active' AND expires_at <= {now}
                    ORDER BY expires_at
                    LIMIT {batchSize}
                    FOR UPDATE SKIP LOCKED
                    """)
                .AsTracking()
                .ToListAsync(ct);
            if (due.Count == 0)
            {
                await transaction.CommitAsync(ct);
                return (0, TimeSpan.Zero);
            }

            var oldest = due.Min(b => b.ExpiresAt);
            foreach (var binding in due)
            {
                binding.Expire(now);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (due.Count, now - oldest);
        }, cancellationToken);

        metrics.BatchCompleted(Stopwatch.GetElapsedTime(started));
        if (expired > 0)
        {
            metrics.Expired(expired);
        }

        return (expired, lag);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expiry sweeper expired {Count} bindings in {Batches} batches; lag was {LagSeconds:F1} s")]
    private static partial void LogSwept(ILogger logger, int count, int batches, double lagSeconds);
}
