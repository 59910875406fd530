using BindingService.Application.Calls;
using BindingService.Contracts;
using BindingService.Infrastructure.Messaging;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// Turns inbox rows into call records and events, asynchronously (docs/receipts.md, 'Processing'). One batch is one
/// transaction:
/// <list type="number">
/// <item>pending rows are claimed in arrival order with <c>FOR UPDATE SKIP LOCKED</c>, so replicas share the work
/// and never take the same row (like the expiry sweeper);</item>
/// <item>the batch's calls are created if new and locked (<c>FOR UPDATE</c>), in call id order so two replicas
/// holding receipts of the same calls wait for each other instead of deadlocking; the call's record, not the
/// receipt's arrival, decides what is published (<see cref="CallRecord"/>), so receipts of one call can be processed
/// in any order, by any replica, any number of times;</item>
/// <item>the events go to the outbox in the same transaction, the rows are marked processed and their payload
/// cleared.</item>
/// </list>
/// A failed batch rolls back whole and is retried; a row that cannot be decrypted or read becomes poison.
/// </summary>
internal sealed partial class ReceiptProcessor(
    IServiceScopeFactory scopes,
    ReceiptSignal signal,
    IOptions<ReceiptOptions> options,
    TimeProvider clock,
    ILogger<ReceiptProcessor> logger) : BackgroundService
{
    internal const string ClaimSql = """
        SELECT * FROM receipt_inbox WHERE status = 'Pending' ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED
        """;

    internal const string CreateCallsSql = """
        INSERT INTO call_records (call_id, direction, rang, started, reported, has_recording, transcript_sentences, published_events, created_at, updated_at)
        SELECT id, 'unknown', false, false, false, false, 0, 0, @now, @now FROM unnest(@ids) AS id ORDER BY id
        ON CONFLICT (call_id) DO NOTHING
        """;

    internal const string LockCallsSql = "SELECT * FROM call_records WHERE call_id = ANY(@ids) ORDER BY call_id FOR UPDATE";

    /// <summary>abnormal → not chosen; normal again → chosen again (only a number this made unhealthy).</summary>
    internal const string HealthSql = """
        UPDATE pool_numbers SET state = CASE WHEN @healthy THEN 'Available' ELSE 'Unhealthy' END, updated_at = @now
        WHERE secret_no = @secretNo AND state = CASE WHEN @healthy THEN 'Unhealthy' ELSE 'Available' END
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.ProcessingEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            int processed;
            try
            {
                // A started batch is short and finishes on shutdown; no new one starts once stopping.
                processed = await ProcessBatchAsync(settings.BatchSize, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                ReceiptMetrics.Failures.Add(1);
                LogBatchFailed(logger, ex.GetType().Name, ex);
                processed = 0;
            }

            if (processed < settings.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Processes one batch; returns how many inbox rows it took.</summary>
    public async Task<int> ProcessBatchAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<BindingDbContext>();
        var parser = services.GetRequiredService<ReceiptParser>();
        var protector = services.GetRequiredService<ReceiptPayloadProtector>();
        var lookup = services.GetRequiredService<ICallBindingLookup>();
        var outbox = services.GetRequiredService<ICallEventOutbox>();
        var recordingRetention = options.Value.RecordingRetention;
        var wroteEvents = false;
        var strategy = db.Database.CreateExecutionStrategy();
        var taken = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            wroteEvents = false;
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var rows = await db.Set<ReceiptInboxRow>().FromSqlRaw(ClaimSql, new NpgsqlParameter("limit", batchSize)).ToListAsync(ct);
            if (rows.Count == 0)
            {
                return 0;
            }

            var calls = new List<(ReceiptInboxRow Row, CallReceipt Receipt)>();
            var sms = new List<CallReceipt>();
            foreach (var row in rows)
            {
                var receipt = Decode(row, parser, protector);
                if (receipt is null)
                {
                    continue;
                }

                if (receipt.Kind == ReceiptKind.NumberHealth)
                {
                    await ApplyHealthAsync(db, outbox, receipt, now, ct);
                    wroteEvents = true;
                }
                else if (receipt.Kind == ReceiptKind.SmsIntercept)
                {
                    sms.Add(receipt);
                }
                else
                {
                    calls.Add((row, receipt));
                }
            }

            if (calls.Count > 0)
            {
                wroteEvents |= await ApplyCallsAsync(db, lookup, outbox, calls, now, recordingRetention, ct);
            }

            if (sms.Count > 0)
            {
                wroteEvents |= await ApplySmsAsync(db, lookup, outbox, sms, now, ct);
            }

            foreach (var row in rows.Where(r => r.Status == ReceiptInboxStatus.Pending))
            {
                row.Status = ReceiptInboxStatus.Processed;
                row.ProcessedAt = now;
                row.Payload = null;
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return rows.Count;
        }, cancellationToken);

        if (taken > 0)
        {
            ReceiptMetrics.Processed.Add(taken);
            if (wroteEvents)
            {
                services.GetRequiredService<OutboxSignal>().Notify();
            }
        }

        return taken;
    }

    private static CallReceipt? Decode(ReceiptInboxRow row, ReceiptParser parser, ReceiptPayloadProtector protector)
    {
        string? problem;
        CallReceipt? receipt = null;
        if (!ReceiptParser.Types.TryGetValue(row.MessageType, out var kind) || row.Payload is null)
        {
            problem = "unknown message type or no payload";
        }
        else
        {
            try
            {
                receipt = parser.Read(kind, protector.Unprotect(row.Payload), out problem);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                problem = "payload cannot be decrypted";
            }
        }

        if (receipt is null)
        {
            row.Status = ReceiptInboxStatus.Poison;
            row.Problem = problem;
            ReceiptMetrics.Poison.Add(1);
        }

        return receipt;
    }

    private static async Task<bool> ApplyCallsAsync(
        BindingDbContext db, ICallBindingLookup lookup, ICallEventOutbox outbox, List<(ReceiptInboxRow Row, CallReceipt Receipt)> receipts,
        DateTimeOffset now, TimeSpan recordingRetention, CancellationToken ct)
    {
        var ids = receipts.Select(r => r.Receipt.CallId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await db.Database.ExecuteSqlRawAsync(CreateCallsSql, [new NpgsqlParameter("now", now), new NpgsqlParameter("ids", ids)], ct);
        var records = await db.Set<CallRecord>().FromSqlRaw(LockCallsSql, new NpgsqlParameter("ids", ids)).ToDictionaryAsync(c => c.CallId, StringComparer.Ordinal, ct);
        var wrote = false;
        foreach (var call in receipts.GroupBy(r => r.Receipt.CallId!, StringComparer.Ordinal))
        {
            var record = records[call.Key];
            var ordered = call.Select(r => r.Receipt).OrderBy(r => r.Kind).ToList();

            // One lookup per call and batch, with the receipt that says most about the binding (the start or the record).
            var binding = record.BindingId is null
                ? await lookup.FindAsync(ordered.FirstOrDefault(r => r.Kind is ReceiptKind.Start or ReceiptKind.Report) ?? ordered[0], ct)
                : null;
            foreach (var receipt in ordered)
            {
                record.Apply(receipt, binding, now);
            }

            foreach (var due in record.DueEvents(now, recordingRetention))
            {
                outbox.Add(due);
                wrote = true;
            }
        }

        return wrote;
    }

    /// <summary>
    /// One <see cref="SmsIntercepted"/> per SMS, whatever the number of its receipts: the event id is derived from the
    /// SMS's id, and an SMS whose event is already in the outbox (published or not) yields nothing. Two replicas taking
    /// two receipts of one SMS at once: one commit fails on the outbox's key and its batch is taken again.
    /// </summary>
    private static async Task<bool> ApplySmsAsync(
        BindingDbContext db, ICallBindingLookup lookup, ICallEventOutbox outbox, List<CallReceipt> receipts, DateTimeOffset now, CancellationToken ct)
    {
        var bySms = receipts.DistinctBy(r => r.CallId, StringComparer.Ordinal).ToDictionary(r => SmsEventId(r.CallId!));
        var ids = bySms.Keys.ToArray();
        var written = await db.OutboxMessages.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => m.Id).ToListAsync(ct);
        var wrote = false;
        foreach (var (eventId, receipt) in bySms.Where(s => !written.Contains(s.Key)))
        {
            var binding = await lookup.FindAsync(receipt, ct);
            outbox.Add(SmsInterception.EventFor(eventId, receipt, binding, now));
            wrote = true;
        }

        return wrote;
    }

    /// <summary>The event id of an intercepted SMS: the same for every receipt of it (name-based on its id).</summary>
    internal static Guid SmsEventId(string smsId) => CallEventOutboxWriter.AggregateOf("SmsIntercepted:" + smsId);

    private static async Task ApplyHealthAsync(BindingDbContext db, ICallEventOutbox outbox, CallReceipt receipt, DateTimeOffset now, CancellationToken ct)
    {
        var healthy = receipt.Healthy == true;
        await db.Database.ExecuteSqlRawAsync(
            HealthSql,
            [new NpgsqlParameter("healthy", healthy), new NpgsqlParameter("now", now), new NpgsqlParameter("secretNo", receipt.SecretNo!)],
            ct);
        outbox.Add(new VirtualNumberHealthChanged(Guid.CreateVersion7(now), receipt.SecretNo!, healthy, receipt.ReportedAt ?? now, now));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receipt processing batch failed ({ErrorType}); will retry")]
    private static partial void LogBatchFailed(ILogger logger, string errorType, Exception exception);
}
