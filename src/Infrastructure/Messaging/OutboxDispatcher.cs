using System.Diagnostics.Metrics;
using System.Text.Json;
using BindingService.Infrastructure.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Messaging;

/// <summary>
/// Relays outbox rows to RabbitMQ through MassTransit, in commit order, with the row id as MessageId,
/// and marks them sent. Rows are claimed with FOR UPDATE SKIP LOCKED, so replicas share the work and
/// no row is published by two of them at once. A broker outage only delays events: rows stay unsent
/// and are retried; API calls never wait for the broker.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly Meter Meter = new("BindingService.Outbox");
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("bindingservice.outbox.published", description: "Outbox events published to the broker");
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("bindingservice.outbox.publish_failures", description: "Outbox batches that failed to publish");

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
                published = await DispatchBatchAsync(settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Failures.Add(1);
                LogBatchFailed(logger, ex.GetType().Name, ex);
                await DelayQuietly(settings.ErrorBackoff, stoppingToken);
                continue;
            }

            if (published < settings.BatchSize)
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

    /// <summary>Publishes one batch; returns how many rows were sent.</summary>
    public async Task<int> DispatchBatchAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var rows = await db.OutboxMessages
                .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY sequence LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(ct);
            if (rows.Count == 0)
            {
                return 0;
            }

            var sent = 0;
            foreach (var row in rows)
            {
                try
                {
                    await PublishAsync(row, settings.PublishTimeout, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // Stop at the first failure so later events of the same binding do not overtake it.
                    row.Attempts++;
                    row.LastError = ex.GetType().Name;
                    Failures.Add(1);
                    LogPublishFailed(logger, row.Id, row.MessageType, row.Attempts, ex.GetType().Name);
                    break;
                }

                row.SentAt = clock.GetUtcNow();
                sent++;
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            Published.Add(sent);
            return sent;
        }, cancellationToken);
    }

    private async Task PublishAsync(OutboxMessage row, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!OutboxEventTypes.TryGet(row.MessageType, out var type))
        {
            throw new InvalidOperationException($"Unknown outbox message type '{row.MessageType}'.");
        }

        var message = JsonSerializer.Deserialize(row.Payload, type, BindingDbContext.PayloadJson)
            ?? throw new InvalidOperationException($"Outbox row {row.Id} has an empty payload.");
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var messageId = row.Id;
        await bus.Publish(message, type, Pipe.Execute<PublishContext>(context => context.MessageId = messageId), timeoutSource.Token);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish outbox event {EventId} ({MessageType}), attempt {Attempts}: {ErrorType}")]
    private static partial void LogPublishFailed(ILogger logger, Guid eventId, string messageType, int attempts, string errorType);
}
