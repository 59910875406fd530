using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace BindingService.Integration.Tests.Support;

/// <summary>One event as a real consumer receives it: MassTransit's envelope, read as JSON.</summary>
public sealed record ReceivedEvent(string MessageId, string MessageType, JsonElement Message, string RawBody)
{
    /// <summary>The AMQP headers of the delivery as text (a string header arrives as UTF-8 bytes).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? Get(string property) =>
        Message.TryGetProperty(property, out var value) ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()) : null;
}

/// <summary>
/// A plain RabbitMQ.Client consumer (not MassTransit) with its own queue bound to the exchange every
/// binding event reaches, like any other service subscribing to our events.
/// <para>
/// Counting events needs <see cref="AllOnceQuietAsync"/>: it returns only once the service has nothing more to send
/// (see <see cref="WaitForQuietAsync"/>), so a duplicate or an extra event is among what it returns and fails the test.
/// <see cref="WaitForAsync"/> returns at the first match and says nothing about what may still come.
/// </para>
/// </summary>
public sealed class EventListener : IAsyncDisposable
{
    public const string AllBindingEventsExchange = "BindingService.Contracts:IBindingEvent";

    /// <summary>The AMQP type of the marker messages <see cref="WaitForQuietAsync"/> sends to the listener's own queue.</summary>
    private const string MarkerType = "BindingService.Tests:QuietMarker";

    private readonly ConcurrentQueue<ReceivedEvent> _events = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _markers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly SemaphoreSlim _publishing = new(1, 1);
    private readonly string _outboxDatabase;
    private IConnection? _connection;
    private IChannel? _channel;
    private IChannel? _markerChannel;
    private string _queue = string.Empty;

    private EventListener(string outboxDatabase) => _outboxDatabase = outboxDatabase;

    public IReadOnlyCollection<ReceivedEvent> Events => _events;

    /// <summary>
    /// Starts listening on <paramref name="rabbitMq"/>. <paramref name="outboxDatabase"/> is the connection string of
    /// the database whose outbox the service instances publish from: <see cref="WaitForQuietAsync"/> watches it.
    /// </summary>
    public static async Task<EventListener> StartAsync(Uri rabbitMq, string outboxDatabase, params string[] exchanges)
    {
        ArgumentException.ThrowIfNullOrEmpty(outboxDatabase);
        var listener = new EventListener(outboxDatabase);
        var factory = new ConnectionFactory { Uri = rabbitMq, ClientProvidedName = "integration-tests-listener" };
        listener._connection = await factory.CreateConnectionAsync();
        listener._channel = await listener._connection.CreateChannelAsync();
        listener._markerChannel = await listener._connection.CreateChannelAsync();
        var queue = await listener._channel.QueueDeclareAsync(queue: string.Empty, durable: false, exclusive: true, autoDelete: true);
        listener._queue = queue.QueueName;

        // The binding events by default; the call receipt tests listen to the call and number events instead.
        foreach (var exchange in exchanges.Length == 0 ? [AllBindingEventsExchange] : exchanges)
        {
            await listener._channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await listener._channel.QueueBindAsync(queue.QueueName, exchange, routingKey: string.Empty);
        }
        var consumer = new AsyncEventingBasicConsumer(listener._channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (delivery.BasicProperties.Type == MarkerType)
            {
                if (delivery.BasicProperties.MessageId is { } marker && listener._markers.TryRemove(marker, out var arrived))
                {
                    arrived.TrySetResult();
                }

                return Task.CompletedTask;
            }

            var body = Encoding.UTF8.GetString(delivery.Body.Span);
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var messageType = root.GetProperty("messageType").EnumerateArray().First().GetString()!;
            listener._events.Enqueue(new ReceivedEvent(
                root.GetProperty("messageId").GetString()!,
                messageType[(messageType.LastIndexOf(':') + 1)..],
                root.GetProperty("message").Clone(),
                body)
            {
                Headers = ReadHeaders(delivery.BasicProperties.Headers),
            });
            listener._arrived.Release();
            return Task.CompletedTask;
        };
        await listener._channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return listener;
    }

    /// <summary>
    /// Waits until events matching <paramref name="predicate"/> number at least <paramref name="count"/>, and returns
    /// as soon as they do: what arrives later (a duplicate, an extra event) is not in the answer. To count events,
    /// use <see cref="AllOnceQuietAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedEvent>> WaitForAsync(Func<ReceivedEvent, bool> predicate, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var matching = _events.Where(predicate).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Expected {count} matching event(s), received {matching.Count}. All received: {string.Join(", ", _events.Select(e => e.MessageType))}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>
    /// Waits until at least <paramref name="atLeast"/> events match <paramref name="predicate"/>, then until the service
    /// is quiet (<see cref="WaitForQuietAsync"/>), and returns every matching event received, in arrival order. Whatever
    /// the service published for the filter is in the answer: a duplicate or an extra event makes the count wrong.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedEvent>> AllOnceQuietAsync(
        Func<ReceivedEvent, bool> predicate, int atLeast = 1, TimeSpan? timeout = null, IReadOnlyCollection<Guid>? ignoringUnsent = null)
    {
        await WaitForAsync(predicate, atLeast, timeout);
        await WaitForQuietAsync(timeout, ignoringUnsent);
        return _events.Where(predicate).ToList();
    }

    /// <summary>
    /// Waits until everything the service has committed to publish has reached this listener, as the system itself
    /// tells, not after a pause:
    /// <list type="number">
    /// <item>the outbox is drained: no row of outbox_messages has sent_at NULL (other than
    /// <paramref name="ignoringUnsent"/>, rows a test keeps unsendable on purpose). A dispatcher sets sent_at only
    /// after the broker confirmed the publish (MassTransit's publisher confirmations, on by default), and a
    /// confirmed message is in every queue it was routed to — ours included;</item>
    /// <item>then a marker message, sent to the listener's own queue (default exchange) after the drain, has come
    /// back. A queue delivers in order to its one consumer, whose handler runs one delivery at a time, so every
    /// event enqueued before the marker has been received by then.</item>
    /// </list>
    /// Events a background job writes after the drain are not waited for; the tests that count them run or await the
    /// job before asking.
    /// </summary>
    public async Task WaitForQuietAsync(TimeSpan? timeout = null, IReadOnlyCollection<Guid>? ignoringUnsent = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        await WaitForDrainedOutboxAsync(_outboxDatabase, deadline, ignoringUnsent);

        var marker = Guid.NewGuid().ToString("N");
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _markers[marker] = arrived;
        await _publishing.WaitAsync();
        try
        {
            var properties = new BasicProperties { MessageId = marker, Type = MarkerType };
            await _markerChannel!.BasicPublishAsync(exchange: string.Empty, routingKey: _queue, mandatory: false, properties, ReadOnlyMemory<byte>.Empty);
        }
        finally
        {
            _publishing.Release();
        }

        var left = deadline - DateTime.UtcNow;
        try
        {
            await arrived.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
        catch (TimeoutException)
        {
            _markers.TryRemove(marker, out _);
            throw new TimeoutException("The outbox was drained, but the marker sent after it did not come back to the listener's queue in time.");
        }
    }

    /// <summary>
    /// Polls <paramref name="database"/> until outbox_messages holds no unsent row (other than
    /// <paramref name="ignoringUnsent"/>); throws <see cref="TimeoutException"/> at <paramref name="deadline"/>.
    /// </summary>
    public static async Task WaitForDrainedOutboxAsync(string database, DateTime deadline, IReadOnlyCollection<Guid>? ignoringUnsent = null)
    {
        var ignored = (ignoringUnsent ?? []).ToArray();
        while (true)
        {
            long unsent;
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND NOT (id = ANY(@ignored))", connection);
                command.Parameters.AddWithValue("ignored", ignored);
                unsent = (long)(await command.ExecuteScalarAsync())!;
            }

            if (unsent == 0)
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The outbox still holds {unsent} unsent row(s): the service has not published everything it committed.");
            }

            await Task.Delay(50); // pacing: polls the outbox until it is drained
        }
    }

    private static Dictionary<string, string> ReadHeaders(IDictionary<string, object?>? headers)
    {
        var read = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers ?? new Dictionary<string, object?>())
        {
            var text = value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => null,
                _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            };
            if (text is not null)
            {
                read[name] = text;
            }
        }

        return read;
    }

    public async ValueTask DisposeAsync()
    {
        if (_markerChannel is not null)
        {
            await _markerChannel.DisposeAsync();
        }

        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
