using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace BindingService.Integration.Tests.Support;

/// <summary>One delivery as a <see cref="DurableConsumer"/> saw it: the envelope's message (the broker's redelivered flag included).</summary>
public sealed record Delivery(string MessageId, string MessageType, JsonElement Message, bool Redelivered)
{
    public string EventId => Get("eventId") ?? string.Empty;

    public string BindingId => Get("bindingId") ?? string.Empty;

    public string OrderId => Get("orderId") ?? string.Empty;

    public string? Get(string property) =>
        Message.TryGetProperty(property, out var value) ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()) : null;
}


/// <summary>
/// A plain RabbitMQ.Client consumer of one exchange with a DURABLE queue (it survives the broker's restart), manual
/// acknowledgements and the client's automatic recovery; every delivery is recorded, duplicates included. For the
/// broker outage tests.
/// </summary>
public sealed class DurableConsumer : IAsyncDisposable
{
    private const string MarkerType = "BindingService.Tests:QuietMarker";
    private readonly ConcurrentQueue<Delivery> _received = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _markers = new(StringComparer.Ordinal);
    private readonly Uri _uri;
    private readonly string _exchange;
    private readonly string _queue;
    private IConnection? _connection;
    private IChannel? _channel;

    private DurableConsumer(Uri uri, string exchange, string name)
    {
        _uri = uri;
        _exchange = exchange;
        _queue = $"{name}-{Guid.NewGuid():N}";
    }

    public IReadOnlyCollection<Delivery> Received => _received;

    /// <summary>Declares (fanout, durable) <paramref name="exchange"/> and a durable queue named after <paramref name="name"/> bound to it.</summary>
    public static async Task<DurableConsumer> StartAsync(Uri uri, string exchange, string name)
    {
        var consumer = new DurableConsumer(uri, exchange, name);
        await consumer.ConnectAsync();
        return consumer;
    }

    /// <summary>The client recovers by itself; should it have given up, a new connection resumes the same durable queue.</summary>
    public async Task EnsureConnectedAsync(TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (_connection is not { IsOpen: true } && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500); // pacing: polls the connection's recovery
        }

        if (_connection is not { IsOpen: true })
        {
            await CloseAsync();
            await ConnectAsync();
        }
    }

    /// <summary>
    /// Whether, within <paramref name="bound"/>, the outbox of <paramref name="database"/> was drained and then a
    /// marker sent to this queue came back: every event published before it is in <see cref="Received"/> by then
    /// (the reasoning of <see cref="EventListener.WaitForQuietAsync"/>, here on a durable queue with acknowledgements).
    /// </summary>
    public async Task<bool> TryWaitForQuietAsync(string database, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        var marker = Guid.NewGuid().ToString("N");
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _markers[marker] = arrived;
        try
        {
            await EventListener.WaitForDrainedOutboxAsync(database, deadline);
            await using (var publisher = await _connection!.CreateChannelAsync())
            {
                var properties = new BasicProperties { MessageId = marker, Type = MarkerType };
                await publisher.BasicPublishAsync(exchange: string.Empty, routingKey: _queue, mandatory: false, properties, ReadOnlyMemory<byte>.Empty);
            }

            var left = deadline - DateTime.UtcNow;
            await arrived.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _markers.TryRemove(marker, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_channel is { IsOpen: true })
            {
                await _channel.QueueDeleteAsync(_queue);
            }
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.RabbitMQClientException or RabbitMQ.Client.Exceptions.OperationInterruptedException or IOException)
        {
            // The broker is private to the test and deleted with it.
        }

        await CloseAsync();
    }

    private async Task ConnectAsync()
    {
        var factory = new ConnectionFactory
        {
            Uri = _uri,
            ClientProvidedName = $"{_queue}-consumer",
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
        };
        _connection = await factory.CreateConnectionAsync();
        _channel = await _connection.CreateChannelAsync();
        await _channel.ExchangeDeclareAsync(_exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await _channel.QueueDeclareAsync(_queue, durable: true, exclusive: false, autoDelete: false);
        await _channel.QueueBindAsync(_queue, _exchange, routingKey: string.Empty);
        await _channel.BasicQosAsync(0, 200, global: false);
        var channel = _channel;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (delivery.BasicProperties.Type == MarkerType)
            {
                if (delivery.BasicProperties.MessageId is { } marker && _markers.TryGetValue(marker, out var arrived))
                {
                    arrived.TrySetResult();
                }

                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                return;
            }

            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span));
            var root = document.RootElement;
            var message = root.GetProperty("message");
            var type = root.GetProperty("messageType").EnumerateArray().First().GetString()!;
            _received.Enqueue(new Delivery(
                root.GetProperty("messageId").GetString()!,
                type[(type.LastIndexOf(':') + 1)..],
                message.Clone(),
                delivery.Redelivered));
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await _channel.BasicConsumeAsync(_queue, autoAck: false, consumer);
    }

    private async Task CloseAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
            _channel = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
