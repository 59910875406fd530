using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BindingService.Integration.Tests.Support;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Xunit.Abstractions;

namespace BindingService.Integration.Tests.Faults;

/// <summary>
/// Issue 5, fault test 1 (docs/events.md, 'Delivery guarantees and de-duplication'): RabbitMQ stopped for 30 s while 1,000 ride orders are protected.
/// Invariants: an API call never fails or waits because of the broker (every request 201; those started while it was
/// down answered before it came back); a
/// broker outage delays events but never loses them, and each binding's BindingCreated carries one stable MessageId
/// (at-least-once, de-duplicable), so after the broker returns exactly one distinct BindingCreated per binding reaches
/// a consumer whose durable queue outlived the restart.
/// </summary>
public sealed class BrokerOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Requests = 1000;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OutageStartsAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(55); // 1,000 requests over ~55 s: before, during and after the outage
    private static readonly TimeSpan EventsBound = TimeSpan.FromMinutes(3); // how long the test waits for the events, not a claim

    private StoppableServers? _broker;
    private TestServers? _shared;
    private SimulatorHost? _simulator;
    private FaultServiceFactory? _service;
    private HttpClient? _client;
    private TestDatabase? _database;
    private string _connectionString = string.Empty;

    public async Task InitializeAsync()
    {
        _broker = await StoppableServers.StartAsync(postgres: false, rabbitMq: true);
        _shared = await TestServers.StartAsync();
        _database = await TestDatabase.CreateAsync(_shared.PostgresAdminConnectionString, "bs_fault1");
        _connectionString = _database.ConnectionString;
        _simulator = await SimulatorHost.StartAsync();
        _service = new FaultServiceFactory(FaultServiceFactory.Settings(_connectionString, _broker.RabbitMqUri, _simulator));
        _client = _service.CreateClient();
        _client.Timeout = TimeSpan.FromSeconds(60);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_shared is not null)
        {
            await _shared.DisposeAsync();
        }

        if (_broker is not null)
        {
            output.WriteLine($"[fault-1] server timings: {string.Join(", ", _broker.Timings)}");
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task BrokerDown30s_During1000Protects_EveryRequestSucceeds_AndExactlyOneBindingCreatedPerBindingArrives()
    {
        // The consumer's durable queue exists before the outage, so events published after the restart wait in it.
        await using var consumer = await DurableConsumer.StartAsync(_broker!.RabbitMqUri, "BindingService.Contracts:BindingCreated", "bsfault1-created");
        await WarmUpAsync();
        var orders = Enumerable.Range(0, Requests).Select(i => $"ride-f1-{i:D4}-{Guid.NewGuid():N}").ToList();
        var clock = Stopwatch.StartNew();
        TimeSpan? downFrom = null, stoppedAt = null, restartingAt = null, downUntil = null;
        using var stopMonitor = new CancellationTokenSource();
        var monitor = MonitorAsync(clock, stopMonitor.Token);

        // From stoppedAt (the stop script has returned) to restartingAt (the start script begins) the broker is down.
        var outage = Task.Run(async () =>
        {
            await Task.Delay(OutageStartsAfter); // pacing: the scenario's schedule, load with the broker up first
            downFrom = clock.Elapsed;
            var stopped = await _broker.StopRabbitMqAsync();
            stoppedAt = clock.Elapsed;
            await Task.Delay(Outage); // pacing: the scenario's schedule, the broker stays down this long
            restartingAt = clock.Elapsed;
            var started = await _broker.StartRabbitMqAsync();
            downUntil = clock.Elapsed;
            output.WriteLine($"[fault-1] rabbitmq stop {stopped.TotalSeconds:0.0} s, down {Outage.TotalSeconds:0} s, start {started.TotalSeconds:0.0} s; unreachable from t={downFrom.Value.TotalSeconds:0.0} s to t={downUntil.Value.TotalSeconds:0.0} s");
        });

        var results = await ProtectPacedAsync(orders, clock);
        await outage;
        var load = clock.Elapsed;

        // After the broker returns: every binding's BindingCreated reaches the consumer (bounded), then the outbox is
        // drained and a marker sent after that has come back through the queue, so a duplicate would be in by then.
        await consumer.EnsureConnectedAsync(TimeSpan.FromSeconds(60));
        var orderSet = orders.ToHashSet();
        var deadline = DateTime.UtcNow + EventsBound;
        while (consumer.Received.Where(e => orderSet.Contains(e.OrderId)).Select(e => e.BindingId).Distinct().Count() < Requests && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500); // pacing: polls the consumer
        }

        var drainedAfter = clock.Elapsed - (downUntil ?? load);
        var quiet = await consumer.TryWaitForQuietAsync(_connectionString, TimeSpan.FromSeconds(60));
        await stopMonitor.CancelAsync();
        var observed = await monitor;

        var received = consumer.Received.Where(e => orderSet.Contains(e.OrderId)).ToList();
        var ok = results.Count(r => r.Status == HttpStatusCode.Created);
        var duringOutage = results.Count(r => r.StartedAt >= downFrom && r.StartedAt <= downUntil);

        // Not waiting for the broker, as an ordering: a request that waited for it could only answer after it came back.
        // Judged: the requests started while it was down, early enough that a normal answer comes before its return —
        // "normal" being 10 × the slowest request before the outage (at least 2 s, at most half the outage).
        var baseline = results.Where(r => r.StartedAt + r.Latency < downFrom).Select(r => r.Latency).DefaultIfEmpty(TimeSpan.Zero).Max();
        var slack = TimeSpan.FromTicks(Math.Clamp(10 * baseline.Ticks, TimeSpan.FromSeconds(2).Ticks, (Outage / 2).Ticks));
        var judged = results.Where(r => r.StartedAt >= stoppedAt && r.StartedAt + slack <= restartingAt).ToList();
        var answeredAfterReturn = judged.Where(r => r.StartedAt + r.Latency >= restartingAt).ToList();
        var dbActive = await ScalarAsync<long>(_connectionString, "SELECT count(*) FROM bindings WHERE status = 'Active' AND order_id LIKE 'ride-f1-%'");
        var atProvider = (await _simulator!.BindingsAsync()).Count(b =>
            orderSet.Contains(b.GetProperty("outOrderId").GetString() ?? string.Empty) && b.GetProperty("status").GetInt32() == 1);
        var distinctEvents = received.Select(e => e.MessageId).Distinct().Count();
        var bindingsWithEvent = received.Select(e => e.BindingId).Distinct().Count();
        var idsPerBinding = received.GroupBy(e => e.BindingId).Where(g => g.Select(e => e.MessageId).Distinct().Count() != 1).Select(g => g.Key).ToList();
        var unsent = await ScalarAsync<long>(_connectionString, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");

        output.WriteLine($"[fault-1] requests={results.Count} ok={ok} db_bindings={dbActive} provider_bindings={atProvider} events={received.Count} distinct_events={distinctEvents} duplicates={received.Count - distinctEvents} outage_s={Outage.TotalSeconds:0}");
        var latencies = results.Select(r => r.Latency.TotalMilliseconds).Order().ToList();
        output.WriteLine($"[fault-1] requests_during_outage={duringOutage} latency_ms_p50={latencies[latencies.Count / 2]:0} p99={latencies[latencies.Count * 99 / 100]:0} max={latencies[^1]:0} redelivered={received.Count(e => e.Redelivered)} bindings_with_event={bindingsWithEvent} broker_port_closed_s={observed.Unreachable.TotalSeconds:0} load_s={load.TotalSeconds:0} events_complete_s_after_broker_back={drainedAfter.TotalSeconds:0} outbox_unsent_max={observed.MaxUnsent} outbox_unsent_end={unsent}");
        output.WriteLine($"[fault-1] readiness while the broker was down: {observed.Readiness(downFrom, downUntil)}; after: {observed.ReadinessAfter(downUntil)}");
        output.WriteLine($"[fault-1] baseline_ms={baseline.TotalMilliseconds:0} slack_ms={slack.TotalMilliseconds:0} judged={judged.Count} answered_after_return={answeredAfterReturn.Count} quiet={quiet}");

        // The port, probed from outside, was closed whenever a probe ran wholly between the stop and the restart.
        var probesWhileDown = observed.BrokerPort.Where(p => p.Start >= stoppedAt && p.End <= restartingAt).ToList();

        Assert.True(downFrom is not null && stoppedAt is not null && restartingAt is not null && downUntil is not null, "the outage did not run");
        Assert.True(probesWhileDown.Count > 0 && probesWhileDown.All(p => !p.Open), $"the broker's port must be closed between the stop and the restart: {probesWhileDown.Count(p => p.Open)} of {probesWhileDown.Count} probes found it open");
        Assert.True(duringOutage > 0, "no request ran while the broker was down: the pacing does not span the outage");
        Assert.True(ok == Requests, $"every protect succeeds while the broker is down: {string.Join(", ", results.Where(r => r.Status != HttpStatusCode.Created).GroupBy(r => r.Status).Select(g => $"{(int)g.Key}×{g.Count()}"))}");
        Assert.True(judged.Count > 0, "no request started early enough in the outage to be judged");
        Assert.True(answeredAfterReturn.Count == 0, $"{answeredAfterReturn.Count} of {judged.Count} request(s) started while the broker was down answered only after it came back (the slowest {answeredAfterReturn.Select(r => r.Latency).DefaultIfEmpty().Max().TotalSeconds:0.0} s): an API call must not wait for the broker");
        Assert.Equal(Requests, dbActive);
        Assert.Equal(Requests, atProvider);
        Assert.True(bindingsWithEvent == Requests, $"BindingCreated arrived for {bindingsWithEvent} of {Requests} bindings within {EventsBound.TotalMinutes:0} min after the broker returned (outbox unsent: {unsent})");
        Assert.True(idsPerBinding.Count == 0, $"{idsPerBinding.Count} binding(s) received BindingCreated under more than one MessageId");
        Assert.Equal(Requests, distinctEvents);
        Assert.All(received, e => Assert.Equal("BindingCreated", e.MessageType));
        Assert.All(received, e => Assert.Equal(e.MessageId, e.EventId));
        Assert.True(quiet, $"the outbox was not drained, or the consumer did not get everything published before a marker, within 60 s (unsent: {unsent})");
        Assert.Equal(0L, unsent);

        // What the service showed while the broker was down: the events waited in the outbox (a backlog built up and
        // drained), and readiness stayed healthy, so a load balancer never takes replicas out because of the broker.
        Assert.True(observed.MaxUnsent > 0, "no outbox backlog was seen while the broker was down: the outage did not hold any event back");
        Assert.True(observed.Ready.Count > 0 && observed.Ready.All(r => r.Status == 200), $"/health/ready must stay 200 while only the broker is down: {observed.Readiness(TimeSpan.Zero, TimeSpan.MaxValue)}");
    }

    /// <summary>
    /// A few protects (other orders, not counted) before the measured load, so the first requests do not pay for JIT
    /// compilation and the first connections while the broker is being stopped.
    /// </summary>
    private async Task WarmUpAsync()
    {
        for (var i = 0; i < 10; i++)
        {
            var body = new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() };
            using var response = await _client!.PutAsJsonAsync($"/v1/ride-orders/warmup-{Guid.NewGuid():N}/protection", body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    private sealed record ProtectResult(HttpStatusCode Status, TimeSpan StartedAt, TimeSpan Latency);

    /// <summary>Starts request i at i × <see cref="Pace"/> (at most 64 in flight), so the load spans the outage.</summary>
    private async Task<IReadOnlyList<ProtectResult>> ProtectPacedAsync(IReadOnlyList<string> orders, Stopwatch clock)
    {
        using var inFlight = new SemaphoreSlim(64);
        var tasks = new List<Task<ProtectResult>>(orders.Count);
        for (var i = 0; i < orders.Count; i++)
        {
            var wait = (Pace * i) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait); // pacing: request i starts at i × Pace
            }

            await inFlight.WaitAsync();
            var orderId = orders[i];
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var started = clock.Elapsed;
                    var body = new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() };
                    using var response = await _client!.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", body);
                    return new ProtectResult(response.StatusCode, started, clock.Elapsed - started);
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }

        return await Task.WhenAll(tasks);
    }

    private sealed record Observations(List<(TimeSpan At, int Status, string Body)> Ready, long MaxUnsent, List<(TimeSpan Start, TimeSpan End, bool Open)> BrokerPort)
    {
        /// <summary>From the first to the last probe that found the broker's AMQP port closed.</summary>
        public TimeSpan Unreachable => BrokerPort.Any(p => !p.Open) ? BrokerPort.Last(p => !p.Open).End - BrokerPort.First(p => !p.Open).Start : TimeSpan.Zero;

        public string Readiness(TimeSpan? from, TimeSpan? until) => Summarise(Ready.Where(r => r.At >= from && r.At <= until));

        public string ReadinessAfter(TimeSpan? until) => Summarise(Ready.Where(r => r.At > until));

        private static string Summarise(IEnumerable<(TimeSpan At, int Status, string Body)> probes) =>
            string.Join(" ", probes.GroupBy(p => $"{p.Status} {p.Body}").Select(g => $"{g.Key} ×{g.Count()}"));
    }

    /// <summary>Once a second: the readiness endpoint and the outbox backlog (what MassTransit and the dispatcher do while the broker is down).</summary>
    private async Task<Observations> MonitorAsync(Stopwatch clock, CancellationToken stop)
    {
        var ready = new List<(TimeSpan, int, string)>();
        var brokerPort = new List<(TimeSpan, TimeSpan, bool)>();
        long maxUnsent = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var at = clock.Elapsed;
                using var response = await _client!.GetAsync("/health/ready", stop);
                ready.Add((at, (int)response.StatusCode, await response.Content.ReadAsStringAsync(stop)));
                maxUnsent = Math.Max(maxUnsent, await ScalarAsync<long>(_connectionString, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"));
                var probeStart = clock.Elapsed;
                var open = await PortOpenAsync(_broker!.RabbitMqUri);
                brokerPort.Add((probeStart, clock.Elapsed, open));
                await Task.Delay(TimeSpan.FromSeconds(1), stop); // pacing: one observation a second
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }

        return new Observations(ready, maxUnsent, brokerPort);
    }

    private static async Task<bool> PortOpenAsync(Uri uri)
    {
        using var socket = new System.Net.Sockets.TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(uri.Host, uri.Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }
}
