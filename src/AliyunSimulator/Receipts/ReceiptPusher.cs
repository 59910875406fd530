using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using BindingService.AliyunSimulator.Configuration;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Receipts;

/// <summary>
/// Pushes call receipts like the provider's HTTP batch push (docs/simulator.md, 'Receipts'): each batch is POSTed as a
/// JSON array; only HTTP 200 with <c>{"code":0,"msg":"接收成功"}</c> within the timeout counts as acknowledged;
/// otherwise it is retried after each of the retry delays, then dropped. Options (duplicates, reordering, a delay)
/// imitate the provider's misbehaviour. Every push attempt is recorded for <c>GET /_sim/receipts</c>.
/// </summary>
public sealed partial class ReceiptPusher(
    IHttpClientFactory httpClients, IOptions<SimulatorOptions> options, ChinaClock clock, TimeProvider time, ILogger<ReceiptPusher> logger) : BackgroundService
{
    public const string HttpClientName = "receipts";

    private readonly Channel<ReceiptBatch> _queue = Channel.CreateUnbounded<ReceiptBatch>();
    private readonly ConcurrentQueue<PushRecord> _pushes = new();
    private readonly Lock _settingsLock = new();
    private ReceiptPushOptions _settings = options.Value.Receipts.Copy();
    private long _nextId;
    private int _inFlight;

    public ReceiptPushOptions Settings
    {
        get
        {
            lock (_settingsLock)
            {
                return _settings.Copy();
            }
        }
    }

    public void Configure(ReceiptPushOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_settingsLock)
        {
            _settings = settings.Copy();
        }
    }

    /// <summary>Every push so far, in the order they were queued.</summary>
    public IReadOnlyList<PushRecord> Pushes => [.. _pushes];

    /// <summary>Batches queued or being pushed (retries included).</summary>
    public int Pending => Volatile.Read(ref _inFlight);

    public void Clear() => _pushes.Clear();

    /// <summary>Queues the receipts of a call (nothing when no URL is set).</summary>
    public void CallCompleted(CallFacts call) => Queue(() => [.. CallReceipts.For(call, clock)]);

    /// <summary>Queues the SecretSmsIntercept receipt of an intercepted SMS (nothing when no URL is set).</summary>
    public void SmsIntercepted(SmsFacts sms) => Queue(() => [CallReceipts.ForSms(sms, clock)]);

    private void Queue(Func<List<ReceiptBatch>> build)
    {
        var settings = Settings;
        if (string.IsNullOrWhiteSpace(settings.Url))
        {
            return;
        }

        var batches = build();
        if (settings.Reorder)
        {
            batches.Reverse();
        }

        foreach (var batch in batches)
        {
            for (var copy = 0; copy < (settings.Duplicates ? 2 : 1); copy++)
            {
                Interlocked.Increment(ref _inFlight);
                _queue.Writer.TryWrite(batch);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batch in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                var settings = Settings;
                var record = new PushRecord(Interlocked.Increment(ref _nextId), batch.Type, batch.CallId, batch.Messages.Count);
                _pushes.Enqueue(record);

                // In order, one batch after another (the first attempt); retries run on their own schedule.
                if (settings.DelayMs > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(settings.DelayMs), time, stoppingToken);
                }

                if (!await TryPushAsync(batch, record, settings, stoppingToken))
                {
                    _ = RetryAsync(batch, record, settings, stoppingToken);
                }
                else
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RetryAsync(ReceiptBatch batch, PushRecord record, ReceiptPushOptions settings, CancellationToken stoppingToken)
    {
        try
        {
            foreach (var delay in settings.EffectiveRetryDelaysMs)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delay), time, stoppingToken);
                if (await TryPushAsync(batch, record, settings, stoppingToken))
                {
                    return;
                }
            }

            record.Dropped = true;
            LogDropped(logger, record.Id, batch.Type, record.Attempts);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<bool> TryPushAsync(ReceiptBatch batch, PushRecord record, ReceiptPushOptions settings, CancellationToken stoppingToken)
    {
        record.Attempts++;

        // The URL in force now (a retry goes where the settings say at the time), the rest as when the batch was queued.
        var target = Settings.Url;
        if (string.IsNullOrWhiteSpace(target))
        {
            record.LastStatus = 0;
            return false;
        }

        var url = target.Contains("{type}", StringComparison.Ordinal)
            ? target.Replace("{type}", batch.Type, StringComparison.Ordinal)
            : InsertSegment(target, batch.Type);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(settings.TimeoutMs));
            using var content = new StringContent(JsonSerializer.Serialize(batch.Messages), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(new Uri(url), content, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            record.LastStatus = (int)response.StatusCode;
            record.Acknowledged = response.IsSuccessStatusCode && IsAcknowledgement(body);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            record.LastStatus = 0;
            record.Acknowledged = false;
        }

        return record.Acknowledged;
    }

    private static bool IsAcknowledgement(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() == 0
                && root.TryGetProperty("msg", out var msg) && msg.GetString() == "接收成功";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string InsertSegment(string url, string type)
    {
        var builder = new UriBuilder(url);
        builder.Path = builder.Path.TrimEnd('/') + "/" + type;
        return builder.Uri.ToString();
    }

    [LoggerMessage(EventId = 9170, Level = LogLevel.Warning, Message = "Receipt push {PushId} ({Type}) dropped after {Attempts} attempts")]
    private static partial void LogDropped(ILogger logger, long pushId, string type, int attempts);
}

/// <summary>One batch pushed (with its retries): how many attempts, the last HTTP status (0: no answer), whether acknowledged or dropped.</summary>
public sealed class PushRecord(long id, string type, string callId, int messages)
{
    public long Id { get; } = id;

    public string Type { get; } = type;

    public string CallId { get; } = callId;

    public int Messages { get; } = messages;

    public int Attempts { get; set; }

    public int LastStatus { get; set; }

    public bool Acknowledged { get; set; }

    public bool Dropped { get; set; }
}
