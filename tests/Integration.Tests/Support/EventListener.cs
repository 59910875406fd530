using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
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
/// </summary>
public sealed class EventListener : IAsyncDisposable
{
    public const string AllBindingEventsExchange = "BindingService.Contracts:IBindingEvent";

    private readonly ConcurrentQueue<ReceivedEvent> _events = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private IConnection? _connection;
    private IChannel? _channel;

    public IReadOnlyCollection<ReceivedEvent> Events => _events;

    public static async Task<EventListener> StartAsync(Uri rabbitMq)
    {
        var listener = new EventListener();
        var factory = new ConnectionFactory { Uri = rabbitMq, ClientProvidedName = "integration-tests-listener" };
        listener._connection = await factory.CreateConnectionAsync();
        listener._channel = await listener._connection.CreateChannelAsync();
        await listener._channel.ExchangeDeclareAsync(AllBindingEventsExchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await listener._channel.QueueDeclareAsync(queue: string.Empty, durable: false, exclusive: true, autoDelete: true);
        await listener._channel.QueueBindAsync(queue.QueueName, AllBindingEventsExchange, routingKey: string.Empty);
        var consumer = new AsyncEventingBasicConsumer(listener._channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
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

    /// <summary>Waits until events matching <paramref name="predicate"/> number at least <paramref name="count"/>.</summary>
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

    public IReadOnlyList<ReceivedEvent> ForOrder(string orderId) => _events.Where(e => e.Get("orderId") == orderId).ToList();

    public async ValueTask DisposeAsync()
    {
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
