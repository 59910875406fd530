using BindingService.Infrastructure.Jobs;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Messaging;

/// <summary>
/// Deletes sent outbox rows older than <see cref="OutboxOptions.Retention"/>, in bounded batches. Unsent rows are
/// never touched. Safe in N replicas: each batch locks its rows with FOR UPDATE SKIP LOCKED, so two replicas delete
/// disjoint rows, and deleting an already deleted row is a no-op anyway.
/// </summary>
public sealed partial class OutboxPruner(
    IServiceScopeFactory scopes,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxPruner> logger) : PeriodicJob(clock, logger)
{
    /// <summary>One bounded batch. Served by the partial index ix_outbox_sent (sent_at) WHERE sent_at IS NOT NULL.</summary>
    internal const string PruneSql = """
        DELETE FROM outbox_messages
        WHERE id IN (
            SELECT id FROM outbox_messages
            WHERE sent_at IS NOT NULL AND sent_at < @cutoff
            ORDER BY sent_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        """;

    protected override string JobName => "Outbox pruner";

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.PruneInterval;

    protected override Task RunScheduledAsync(CancellationToken stoppingToken) => PruneAsync(options.Value, stoppingToken);

    /// <summary>
    /// Deletes every sent row older than the retention, batch by batch; returns how many were deleted.
    /// <paramref name="cancellationToken"/> (shutdown) stops it between batches; a started batch is not cancelled.
    /// </summary>
    public async Task<long> PruneAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        var cutoff = Clock.GetUtcNow() - settings.Retention;
        long total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var deleted = await PruneBatchAsync(cutoff, settings.PruneBatchSize, CancellationToken.None);
            total += deleted;
            OutboxMetrics.Pruned.Add(deleted);
            if (deleted < settings.PruneBatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogPruned(logger, total, cutoff);
        }

        return total;
    }

    private async Task<int> PruneBatchAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(
            async ct => await db.Database.ExecuteSqlRawAsync(
                PruneSql,
                [new Npgsql.NpgsqlParameter("cutoff", cutoff), new Npgsql.NpgsqlParameter("limit", limit)],
                ct),
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} sent outbox rows older than {Cutoff}")]
    private static partial void LogPruned(ILogger logger, long count, DateTimeOffset cutoff);
}
