using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.AliyunSimulator.Receipts;
using BindingService.Integration.Tests.Receipts;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BindingService.Integration.Tests.Faults;

/// <summary>
/// Issue 12 (docs/receipts.md, 'Processing'; docs/events.md, 'Delivery guarantees'): RabbitMQ stopped while the simulator
/// pushes a burst of call receipts (duplicates and reordering on) for many calls. Receipts keep being acknowledged and
/// processed while it is down (the receiver and the processor need only the database); the call events wait in the
/// outbox; once the broker is back every call's CallStarted and CallEnded reaches a durable consumer, each under one
/// MessageId, and nothing else.
/// Phases, each ended by what the system tells, not by a pause: calls with the broker up; the broker stopped; calls
/// while it is down, until all their receipts are acknowledged and processed and their events are seen held back;
/// the broker started while more calls come in; then every event arrives.
/// </summary>
public sealed class ReceiptBrokerOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Secret = "receipt-outage-secret";
    private const int Rides = 30;
    private const int CallsBefore = 30;
    private const int CallsDuring = 60;
    private const int CallsWhileStarting = 30;
    private static readonly TimeSpan EventsBound = TimeSpan.FromMinutes(3); // how long the test waits for the events, not a claim

    private readonly PushRoute _route = new();
    private StoppableServers? _broker;
    private TestServers? _shared;
    private TestDatabase? _database;
    private SimulatorHost? _simulator;
    private FaultServiceFactory? _service;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        _broker = await StoppableServers.StartAsync(postgres: false, rabbitMq: true);
        _shared = await TestServers.StartAsync();
        _database = await TestDatabase.CreateAsync(_shared.PostgresAdminConnectionString, "bs_fault_rc");
        _simulator = await SimulatorHost.StartAsync(
            builder => builder.Services.AddHttpClient(ReceiptPusher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _route),
            "Simulator:Receipts:TimeoutMs=10000");
        var settings = FaultServiceFactory.Settings(_database.ConnectionString, _broker.RabbitMqUri, _simulator);
        settings["Receipts:Secret"] = Secret;
        settings["Receipts:PollInterval"] = "00:00:00.200";
        _service = new FaultServiceFactory(settings);
        _client = _service.CreateClient();
        _client.Timeout = TimeSpan.FromSeconds(60);
        _route.Target = _service.Server.CreateHandler();
        var push = new { url = $"http://service/v1/provider-receipts/{{type}}?token={Secret}", duplicates = true, reorder = true, retryDelaysMs = new[] { 100, 500, 2000 }, timeoutMs = 10_000 };
        (await _simulator.Control.PutAsJsonAsync("_sim/receipts/settings", push)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        await Disposal.InOrderAsync(_service, _simulator, _database, _shared);
        if (_broker is not null)
        {
            output.WriteLine($"[fault-rc] server timings: {string.Join(", ", _broker.Timings)}");
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task BrokerDown_DuringAReceiptBurst_EveryCallStartedAndCallEndedArrivesUnderOneMessageId()
    {
        // The consumer's durable queue exists before the outage, so events published after the restart wait in it.
        await using var consumer = await DurableConsumer.StartAsync(_broker!.RabbitMqUri, ReceiptsFixture.CallEventsExchange, "bsfault-calls");
        var rides = await ProtectRidesAsync();
        var calls = new List<string>();

        calls.AddRange(await SimulateCallsAsync(rides, 0, CallsBefore));
        var stopped = await _broker.StopRabbitMqAsync();

        // While it is down: every receipt acknowledged and processed, and the events of these calls held in the outbox.
        var during = await SimulateCallsAsync(rides, CallsBefore, CallsDuring);
        calls.AddRange(during);
        var pushes = await SettledPushesAsync();
        await WaitForInboxProcessedAsync();
        var heldBack = await ScalarAsync(
            $"SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND message_type IN ('CallStarted', 'CallEnded') AND payload::jsonb->>'callId' IN ({string.Join(", ", during.Select(c => $"'{c}'"))})");
        var unacknowledged = pushes.Count(p => !p.GetProperty("acknowledged").GetBoolean());

        // The broker comes back while more calls come in.
        var starting = _broker.StartRabbitMqAsync();
        calls.AddRange(await SimulateCallsAsync(rides, CallsBefore + CallsDuring, CallsWhileStarting));
        var started = await starting;
        await SettledPushesAsync();
        await WaitForInboxProcessedAsync();

        await consumer.EnsureConnectedAsync(TimeSpan.FromSeconds(60));
        var callSet = calls.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + EventsBound;
        while (DistinctEvents(consumer, callSet) < 2 * calls.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500); // pacing: polls the consumer
        }

        var quiet = await consumer.TryWaitForQuietAsync(_database!.ConnectionString, TimeSpan.FromSeconds(60));
        var received = consumer.Received.Where(e => callSet.Contains(e.Get("callId") ?? string.Empty)).ToList();
        var perCall = received.GroupBy(e => e.Get("callId")!).ToDictionary(
            g => g.Key, g => g.GroupBy(e => e.MessageType).ToDictionary(t => t.Key, t => t.Select(e => e.MessageId).Distinct().Count()));
        var complete = calls.Count(c => perCall.TryGetValue(c, out var types)
            && types.Count == 2 && types.GetValueOrDefault("CallStarted") == 1 && types.GetValueOrDefault("CallEnded") == 1);
        var unsent = await ScalarAsync("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");
        var distinct = received.Select(e => e.MessageId).Distinct().Count();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[fault-rc] calls={calls.Count} (before={CallsBefore} during={CallsDuring} while_starting={CallsWhileStarting}) pushes={pushes.Count} unacknowledged={unacknowledged} held_back_while_down={heldBack} deliveries={received.Count} distinct_events={distinct} duplicates={received.Count - distinct} redelivered={received.Count(e => e.Redelivered)} calls_complete={complete} outbox_unsent_end={unsent} quiet={quiet} stop_s={stopped.TotalSeconds:0.0} start_s={started.TotalSeconds:0.0}"));

        Assert.Equal(0, unacknowledged);
        Assert.True(heldBack == 2 * CallsDuring, $"while the broker was down the {CallsDuring} calls' events must all wait in the outbox: {heldBack} of {2 * CallsDuring} did");
        Assert.True(complete == calls.Count, $"{calls.Count - complete} of {calls.Count} calls lack CallStarted or CallEnded, have one under two MessageIds, or have another event (outbox unsent: {unsent})");
        Assert.Equal(2 * calls.Count, distinct);
        Assert.All(received, e => Assert.Equal(e.MessageId, e.EventId));
        Assert.True(quiet, $"the outbox was not drained, or the consumer did not get everything published before a marker, within 60 s (unsent: {unsent})");
        Assert.Equal(0L, unsent);
    }

    private static int DistinctEvents(DurableConsumer consumer, HashSet<string> calls) =>
        consumer.Received.Where(e => calls.Contains(e.Get("callId") ?? string.Empty)).Select(e => e.MessageId).Distinct().Count();

    private async Task<IReadOnlyList<(string X, string Passenger, string Driver)>> ProtectRidesAsync()
    {
        var rides = new List<(string, string, string)>();
        for (var i = 0; i < Rides; i++)
        {
            var (passenger, driver) = (TestPhones.Next(), TestPhones.Next());
            using var response = await _client!.PutAsJsonAsync($"/v1/ride-orders/ride-rc-{i:D2}-{Guid.NewGuid():N}/protection", new { passengerPhone = passenger, driverPhone = driver });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var x = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("virtualNumber").GetString()!;
            rides.Add((x, passenger, driver));
        }

        return rides;
    }

    /// <summary>Calls <paramref name="first"/>… over the rides, 8 at a time: either party calls, every fourth call unanswered.</summary>
    private async Task<IReadOnlyList<string>> SimulateCallsAsync(IReadOnlyList<(string X, string Passenger, string Driver)> rides, int first, int count)
    {
        using var inFlight = new SemaphoreSlim(8);
        var tasks = Enumerable.Range(first, count).Select(async n =>
        {
            await inFlight.WaitAsync();
            try
            {
                var (x, passenger, driver) = rides[n % rides.Count];
                var body = new { caller = n % 2 == 0 ? passenger : driver, calledNo = x, durationSeconds = n % 4 == 3 ? 0 : 10 + (n % 50) };
                using var response = await _simulator!.Control.PostAsJsonAsync("_sim/calls/simulate", body);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var call = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("connected", call.GetProperty("outcome").GetString());
                return call.GetProperty("callId").GetString()!;
            }
            finally
            {
                inFlight.Release();
            }
        });
        return await Task.WhenAll(tasks);
    }

    /// <summary>The simulator's pushes once none is queued or waiting for a retry.</summary>
    private async Task<IReadOnlyList<JsonElement>> SettledPushesAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var state = await _simulator!.Control.GetFromJsonAsync<JsonElement>("_sim/receipts");
            if (state.GetProperty("pending").GetInt32() == 0)
            {
                return [.. state.GetProperty("pushes").EnumerateArray()];
            }

            Assert.True(DateTime.UtcNow < deadline, "the simulator still has receipt batches queued or waiting for a retry after 60 s");
            await Task.Delay(100); // pacing: polls the simulator until its pushes have settled
        }
    }

    private async Task WaitForInboxProcessedAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await ScalarAsync("SELECT count(*) FROM receipt_inbox WHERE status = 'Pending'") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the receipt inbox still holds pending rows after 60 s");
            await Task.Delay(100); // pacing: polls the inbox until the processor has taken everything
        }
    }

    private Task<long> ScalarAsync(string sql) => ServiceFixture.ScalarAsync<long>(_database!.ConnectionString, sql);
}
