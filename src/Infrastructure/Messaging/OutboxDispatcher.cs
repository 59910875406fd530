using System.Diagnostics;
using System.Text.Json;
using BindingService.Infrastructure.Persistence;
using MassTransit;
using MassTransit.Logging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BindingService.Infrastructure.Messaging;

/// <summary>
/// Relays outbox rows to RabbitMQ through MassTransit with the row id as MessageId, and marks them sent.
/// Rows are claimed with FOR UPDATE SKIP LOCKED, so replicas share the work and no row is published by two
/// of them at once; only the oldest unsent row of each binding is claimable, so events of one binding leave
/// in order even across replicas and past a failed publish (see <see cref="ClaimSql"/>). A broker outage
/// only delays events: rows stay unsent and are retried; API calls never wait for the broker. On shutdown the batch
/// in progress finishes (its rows are marked sent) and no new one starts; rows left unsent go with the next replica.
/// Each row is published in a producer span whose parent is the trace context stored with the row (the request or job
/// run that wrote it), and the message carries that span as <c>traceparent</c>/<c>tracestate</c> and MassTransit's
/// <c>MT-Activity-Id</c>, so consumers continue the writer's trace (see <see cref="PublishAsync"/>).
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>
    /// Claims the head of each binding's queue: an unsent row is claimable only if its binding (aggregate) has no
    /// earlier unsent row. Why this rule rather than plain SKIP LOCKED or a lock per binding:
    /// <list type="bullet">
    /// <item>Plain <c>ORDER BY sequence … SKIP LOCKED</c> lets replica 2 skip the row replica 1 is publishing and
    /// publish a later event of the same binding first.</item>
    /// <item>With this rule, while replica 1 holds (or failed to publish) row n of a binding, row n+1 is not
    /// claimable by anyone: it has an earlier unsent row. A failed row stays unsent, so it keeps blocking only its
    /// own binding; other bindings go on.</item>
    /// <item>It needs no advisory locks (hash collisions, session state through a pooler) and no extra table; the
    /// NOT EXISTS probe is one index lookup in the partial index <c>ix_outbox_unsent_aggregate</c>
    /// (aggregate_id, sequence) WHERE sent_at IS NULL, so its cost follows the batch, not the table.</item>
    /// </list>
    /// The probe's <c>OFFSET 0</c> keeps it a probe per candidate row (a subquery with OFFSET is not turned into a
    /// join). Without it, statistics taken while nothing was unsent — the usual state before a burst such as a mass
    /// expiry — made PostgreSQL plan an anti join that scanned every unsent row for every candidate: a claim of 100 rows
    /// took 5 s with 90,000 unsent, until the next automatic ANALYZE (docs/performance.md, round 5;
    /// OutboxClaimPlanTests holds the claim to a bounded cost on such statistics).
    /// Per binding, sequence order is version order: two transactions cannot both commit a change of the same
    /// binding (optimistic concurrency on its version), so a later row of a binding is always inserted after the
    /// earlier one committed. Under READ COMMITTED a row marked sent by another replica after this statement's
    /// snapshot is re-checked when locked (sent_at IS NULL fails) and skipped; a head row still seen unsent in the
    /// snapshot only makes the query more conservative. The price: a batch takes at most one row per binding;
    /// the loop runs again at once while rows are being sent, so a binding's next event follows within a round.
    /// </summary>
    internal const string ClaimSql = """
        SELECT m.* FROM outbox_messages m
        WHERE m.sent_at IS NULL
          AND NOT EXISTS (
              SELECT 1 FROM outbox_messages e
              WHERE e.aggregate_id = m.aggregate_id AND e.sent_at IS NULL AND e.sequence < m.sequence
              OFFSET 0)
        ORDER BY m.sequence
        LIMIT @limit
        FOR UPDATE OF m SKIP LOCKED
        """;

    /// <summary>Marks a batch's published rows sent (<see cref="MarkAsync"/>).</summary>
    internal const string MarkSentSql = "UPDATE outbox_messages SET sent_at = @sent_at WHERE id = ANY(@ids)";

    /// <summary>Counts a failed attempt of each row, with its error's type; <c>@ids</c> and <c>@errors</c> pair by position.</summary>
    internal const string MarkFailedSql = """
        UPDATE outbox_messages m SET attempts = m.attempts + 1, last_error = f.error
        FROM unnest(@ids, @errors) AS f(id, error)
        WHERE m.id = f.id
        """;

    private DateTimeOffset _nextBacklogSnapshot = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            int published;
            try
            {
                await RefreshBacklogMetricsAsync(settings, stoppingToken);

                // A started batch is not cancelled by shutdown: cancelling it between a publish and the commit would
                // leave published rows unsent, to be published again. Each publish is bounded by PublishTimeout and
                // the host waits for the batch (Hosting:ShutdownTimeout); no new batch starts once stopping.
                published = await DispatchBatchAsync(settings, CancellationToken.None);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                OutboxMetrics.Failures.Add(1);
                LogBatchFailed(logger, ex.GetType().Name, ex);
                await DelayQuietly(settings.ErrorBackoff, stoppingToken);
                continue;
            }

            // A batch holds at most one row per binding, so keep going while rows are sent: the next events of
            // the same bindings are claimable now. Wait only when nothing could be sent.
            if (published == 0)
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

            // Not a full batch: let the rows of the requests finishing now gather for the next claim.
            if (published < settings.BatchSize && settings.Linger > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(settings.Linger, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Publishes one batch; returns how many rows were sent.</summary>
    public async Task<int> DispatchBatchAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            // Read without tracking: the rows are marked by the two statements below, not by EF's one UPDATE per row
            // (a retried attempt therefore starts from nothing the failed one had read).
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var rows = await db.OutboxMessages
                .FromSqlRaw(ClaimSql, new NpgsqlParameter("limit", settings.BatchSize))
                .AsNoTracking()
                .ToListAsync(ct);
            if (rows.Count == 0)
            {
                return 0;
            }

            // Up to PublishConcurrency publishes at once (the batch holds one row per binding, so no two need an order).
            // A row that fails stays unsent and, being the oldest unsent row of its binding, keeps that binding's later
            // events back (ClaimSql). A row that cannot be read (poison) blocks only its own binding; a broker failure
            // starts no further publish of the batch, since the other rows would only wait for the same timeout.
            // Each slot of the outcome arrays is written by the publish of its own row only. The publishes are started
            // from this loop, each running until it waits for its confirmation: no thread-pool work item per row (with
            // Parallel.ForEachAsync every row was one, and at a few events per batch those hand-offs and the threads
            // they woke cost more than the publishing; docs/performance.md, round 7).
            var published = new bool[rows.Count];
            var errors = new string?[rows.Count];
            var brokerFailed = 0;
            var slots = new SemaphoreSlim(settings.PublishConcurrency);
            var inFlight = new List<Task>(rows.Count);
            try
            {
                for (var index = 0; index < rows.Count; index++)
                {
                    await slots.WaitAsync(ct);
                    if (Volatile.Read(ref brokerFailed) != 0)
                    {
                        break;
                    }

                    inFlight.Add(PublishRowAsync(index));
                }
            }
            finally
            {
                // Every publish started has ended before the batch is marked (or the attempt given up).
                await Task.WhenAll(inFlight);
            }

            async Task PublishRowAsync(int index)
            {
                var row = rows[index];
                try
                {
                    await PublishAsync(row, settings.PublishTimeout, ct);
                    published[index] = true;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    errors[index] = ex.GetType().Name;
                    OutboxMetrics.Failures.Add(1);
                    LogPublishFailed(logger, row.Id, row.MessageType, row.Attempts + 1, ex.GetType().Name);
                    if (ex is not OutboxPayloadException)
                    {
                        Volatile.Write(ref brokerFailed, 1);
                    }
                }
                finally
                {
                    slots.Release();
                }
            }

            var sent = await MarkAsync(db, rows, published, errors, ct);
            await transaction.CommitAsync(ct);
            OutboxMetrics.Published.Add(sent);
            return sent;
        }, cancellationToken);
    }

    /// <summary>
    /// Records a batch's outcome in the claim's transaction with at most two statements, however many rows it held:
    /// the published rows are marked sent (one <c>UPDATE … WHERE id = ANY(@ids)</c>, all with the time the batch was
    /// marked), and each failed row gets one more attempt and its error's type. Rows skipped after a broker failure are
    /// left as they were. Returns how many rows were marked sent.
    /// </summary>
    private async Task<int> MarkAsync(BindingDbContext db, List<OutboxMessage> rows, bool[] published, string?[] errors, CancellationToken cancellationToken)
    {
        var sent = rows.Where((_, i) => published[i]).Select(row => row.Id).ToArray();
        if (sent.Length > 0)
        {
            await db.Database.ExecuteSqlRawAsync(
                MarkSentSql,
                [new NpgsqlParameter("ids", sent), new NpgsqlParameter("sent_at", clock.GetUtcNow())],
                cancellationToken);
        }

        var failed = rows.Where((_, i) => errors[i] is not null).Select(row => row.Id).ToArray();
        if (failed.Length > 0)
        {
            await db.Database.ExecuteSqlRawAsync(
                MarkFailedSql,
                [new NpgsqlParameter("ids", failed), new NpgsqlParameter("errors", errors.OfType<string>().ToArray())],
                cancellationToken);
        }

        return sent.Length;
    }

    /// <summary>
    /// Publishes one row in a span "publish {type}" (source <see cref="OutboxTracing.SourceName"/>, kind Producer). Its
    /// parent is the row's stored context, not the dispatcher's loop: the publish joins the trace of the request or job
    /// run that wrote the row, however much later it happens. (A link instead of a parent would start a new trace per
    /// publish, and the consumers — which continue the trace in the message headers — would then not be in the
    /// writer's trace; each row is one message, so a single parent is always possible.) A row without a stored context
    /// (written before issue 17) is published in a new trace of its own.
    /// <para>
    /// The message carries this span's context in the W3C <c>traceparent</c>/<c>tracestate</c> AMQP headers, which
    /// non-MassTransit consumers (and RabbitMQ.Client's own instrumentation) read, and in <c>MT-Activity-Id</c>, which
    /// MassTransit's receive side reads. MassTransit overwrites <c>MT-Activity-Id</c> with its own send span, a child
    /// of this one, when its "MassTransit" source is traced; either way the trace id stays the writer's.
    /// </para>
    /// </summary>
    private async Task PublishAsync(OutboxMessage row, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Inside this async method only (the change does not flow back to the batch): no ambient activity may become
        // the parent of a row that has no stored context.
        Activity.Current = null;
        var stored = OutboxTracing.TryParse(row.TraceParent, row.TraceState, out var writerContext);
        using var activity = StartPublishActivity(row, stored ? writerContext : default);
        try
        {
            if (!OutboxEventTypes.TryGet(row.MessageType, out var type))
            {
                throw new OutboxPayloadException($"Unknown outbox message type '{row.MessageType}'.");
            }

            object message;
            try
            {
                message = JsonSerializer.Deserialize(row.Payload, type, BindingDbContext.PayloadJson)
                    ?? throw new OutboxPayloadException($"Outbox row {row.Id} has an empty payload.");
            }
            catch (JsonException ex)
            {
                throw new OutboxPayloadException($"Outbox row {row.Id} has an unreadable payload.", ex);
            }

            activity?.SetTag("messaging.destination.name", $"{type.Namespace}:{type.Name}");

            // The context the consumers continue: this span's, or (when nothing listens to our source) the stored one.
            var (traceParent, traceState) = OutboxTracing.Capture(activity);
            if (traceParent is null && stored)
            {
                (traceParent, traceState) = (OutboxTracing.Format(writerContext), row.TraceState);
            }

            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            var messageId = row.Id;
            await bus.Publish(message, type, Pipe.Execute<PublishContext>(context =>
            {
                context.MessageId = messageId;
                if (traceParent is not null)
                {
                    context.Headers.Set(OutboxTracing.TraceParentHeader, traceParent);
                    context.Headers.Set(DiagnosticHeaders.ActivityId, traceParent);
                    if (traceState is not null)
                    {
                        context.Headers.Set(OutboxTracing.TraceStateHeader, traceState);
                    }
                }
            }), timeoutSource.Token);
        }
        catch (Exception ex)
        {
            activity?.SetTag("error.type", ex.GetType().FullName);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    /// <summary>The row's publish span (OpenTelemetry messaging conventions), child of <paramref name="writer"/> if any.</summary>
    private Activity? StartPublishActivity(OutboxMessage row, ActivityContext writer)
    {
        var activity = OutboxTracing.Source.CreateActivity($"publish {row.MessageType}", ActivityKind.Producer, writer);
        if (activity is null)
        {
            return null;
        }

        if (activity.TraceStateString is null && writer.TraceState is not null)
        {
            activity.TraceStateString = writer.TraceState;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("messaging.system", "rabbitmq");
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "publish");
            activity.SetTag("messaging.message.id", row.Id.ToString("D"));
            activity.SetTag("bindingservice.binding_id", row.AggregateId.ToString("D"));
            activity.SetTag("bindingservice.outbox.attempt", row.Attempts + 1);
            activity.SetTag("bindingservice.outbox.wait_ms", Math.Max(0, (clock.GetUtcNow() - row.OccurredAt).TotalMilliseconds));
        }

        return activity.Start();
    }

    /// <summary>Refreshes the backlog gauges at most every <see cref="OutboxOptions.BacklogMetricsInterval"/>.</summary>
    private async Task RefreshBacklogMetricsAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _nextBacklogSnapshot)
        {
            return;
        }

        _nextBacklogSnapshot = now + settings.BacklogMetricsInterval;
        var (unsent, oldest) = await ReadBacklogAsync(cancellationToken);
        OutboxMetrics.RecordBacklog(unsent, oldest);
    }

    /// <summary>Unsent rows and when the oldest of them occurred (served by the partial index ix_outbox_unsent).</summary>
    public async Task<(long Unsent, DateTimeOffset? OldestOccurredAt)> ReadBacklogAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var unsent = db.OutboxMessages.Where(m => m.SentAt == null);
        var count = await unsent.LongCountAsync(cancellationToken);
        var oldest = count == 0 ? null : await unsent.MinAsync(m => (DateTimeOffset?)m.OccurredAt, cancellationToken);
        return (count, oldest);
    }

    private async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, clock, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox batch failed ({ErrorType}); will retry")]
    private static partial void LogBatchFailed(ILogger logger, string errorType, Exception exception);

    // Not {EventId}: that name is the logger's own event id, which replaced the row id in the structured log.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish outbox event {OutboxEventId} ({MessageType}), attempt {Attempts}: {ErrorType}")]
    private static partial void LogPublishFailed(ILogger logger, Guid outboxEventId, string messageType, int attempts, string errorType);
}

/// <summary>An outbox row that can never be published as stored (unknown type, unreadable payload).</summary>
internal sealed class OutboxPayloadException(string message, Exception? inner = null) : Exception(message, inner);
