using BindingService.Application.Calls;
using BindingService.Infrastructure.Jobs;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// Deletes call records older than <see cref="ReceiptOptions.CallRetention"/> and processed or poison inbox rows older
/// than <see cref="ReceiptOptions.InboxRetention"/>, in batches of <see cref="ReceiptOptions.RetentionBatchSize"/>
/// rows per statement; rows another replica is deleting are skipped (SKIP LOCKED), so replicas may all run it.
/// </summary>
internal sealed partial class CallRecordRetention(
    IServiceScopeFactory scopes, IOptions<ReceiptOptions> options, TimeProvider clock, ILogger<CallRecordRetention> logger) : PeriodicJob(clock, logger)
{
    internal const string DeleteCallsSql = """
        DELETE FROM call_records WHERE call_id IN (
            SELECT call_id FROM call_records WHERE created_at < @cutoff ORDER BY created_at LIMIT @limit FOR UPDATE SKIP LOCKED)
        """;

    internal const string DeleteInboxSql = """
        DELETE FROM receipt_inbox WHERE id IN (
            SELECT id FROM receipt_inbox WHERE received_at < @cutoff AND status <> 'Pending' ORDER BY received_at LIMIT @limit FOR UPDATE SKIP LOCKED)
        """;

    protected override string JobName => "Call record retention";

    protected override bool Enabled => options.Value.ProcessingEnabled;

    protected override TimeSpan Interval => options.Value.RetentionInterval;

    protected override async Task RunScheduledAsync(CancellationToken stoppingToken)
    {
        var (calls, inbox) = await RunAsync(stoppingToken);
        if (calls + inbox > 0)
        {
            LogDeleted(logger, calls, inbox);
        }
    }

    /// <summary>Deletes until nothing is due (or the service stops); returns how many call records and inbox rows went.</summary>
    public async Task<(int Calls, int Inbox)> RunAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var now = Clock.GetUtcNow();
        var calls = await DeleteAsync(DeleteCallsSql, now - settings.CallRetention, settings.RetentionBatchSize, stoppingToken);
        var inbox = await DeleteAsync(DeleteInboxSql, now - settings.InboxRetention, settings.RetentionBatchSize, stoppingToken);
        return (calls, inbox);
    }

    private async Task<int> DeleteAsync(string sql, DateTimeOffset cutoff, int batchSize, CancellationToken stoppingToken)
    {
        var total = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
            var deleted = await db.Database.ExecuteSqlRawAsync(sql, [new NpgsqlParameter("cutoff", cutoff), new NpgsqlParameter("limit", batchSize)], CancellationToken.None);
            total += deleted;
            if (deleted < batchSize)
            {
                break;
            }
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call record retention deleted {Calls} call records and {Inbox} inbox rows")]
    private static partial void LogDeleted(ILogger logger, int calls, int inbox);
}
