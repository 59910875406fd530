using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace BindingService.Integration.Tests.Faults;

/// <summary>
/// Issue 5, fault test 2: PostgreSQL stopped for 15 s while ride orders are protected continuously. Invariants: a
/// request during the outage fails fast with a 503 ProblemDetails carrying a code (no hang beyond the database
/// timeouts); readiness goes unhealthy and recovers; the service recovers by itself; and no provider-side binding is
/// left without a database row once the reconciler has run (invariant 3 in docs/operations.md): a protect can reach the provider
/// and then fail to save Active, and the reconciler adopts that binding.
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Workers = 8;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan OutageStartsAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LoadAfterRecovery = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan WorkerPause = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan ReconcileBound = TimeSpan.FromMinutes(2); // how long the test waits for parity, not a claim

    private StoppableServers? _database;
    private TestServers? _shared;
    private SimulatorHost? _simulator;
    private FaultServiceFactory? _service;
    private HttpClient? _client;
    private Dictionary<string, string?> _settings = [];
    private string _connectionString = string.Empty;

    public async Task InitializeAsync()
    {
        _database = await StoppableServers.StartAsync(postgres: true, rabbitMq: false);
        _shared = await TestServers.StartAsync();
        // The private server is deleted with its data on dispose: the database goes with it.
        _connectionString = (await TestDatabase.CreateAsync(_database.PostgresAdminConnectionString, "bs_fault2")).ConnectionString;
        _simulator = await SimulatorHost.StartAsync();
        _settings = FaultServiceFactory.Settings(_connectionString, _shared.RabbitMqUri, _simulator);
        // Reconciliation runs after the outage, in a second instance (Jobs:Reconciler:Enabled is false here).
        _service = new FaultServiceFactory(_settings);
        _client = _service.CreateClient();
        _client.Timeout = TimeSpan.FromSeconds(90);
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

        NpgsqlConnection.ClearAllPools();
        if (_shared is not null)
        {
            await _shared.DisposeAsync();
        }

        if (_database is not null)
        {
            output.WriteLine($"[fault-2] server timings: {string.Join(", ", _database.Timings)}");
            await _database.DisposeAsync(); // stops the private PostgreSQL and deletes its data, the test database with it
        }
    }

    [Fact]
    public async Task PostgresDown15s_RequestsFailFastWith503_ServiceRecoversByItself_AndReconcilerLeavesNoProviderBindingWithoutARow()
    {
        await WarmUpAsync();
        // BindAxb answers after 1–1.5 s, so at the moment PostgreSQL stops most requests are at the provider: their bind
        // is applied there and their Active save then fails, leaving Pending rows for the reconciler to adopt.
        await SimulatorFaults.SetAsync(_simulator!, new { seed = 2, actions = new[] { "BindAxb" }, latencyMs = 1000, latencyJitterMs = 500 });
        var clock = Stopwatch.StartNew();
        TimeSpan? downFrom = null, downUntil = null;
        using var stopLoad = new CancellationTokenSource();
        var results = new ConcurrentQueue<ProtectResult>();
        var probes = new ConcurrentQueue<(TimeSpan At, int Status)>();
        var workers = Enumerable.Range(0, Workers).Select(w => ProtectLoopAsync(w, clock, results, stopLoad.Token)).ToList();
        var readiness = ProbeReadinessAsync(clock, probes, stopLoad.Token);

        await Task.Delay(OutageStartsAfter); // pacing: the scenario's schedule, load with the database up first
        downFrom = clock.Elapsed;
        var stopped = await _database!.StopPostgresAsync();
        await Task.Delay(Outage); // pacing: the scenario's schedule, the database stays down this long
        var started = await _database.StartPostgresAsync();

        // The test's own reads use a pool of their own (the service adds Npgsql settings to its connection string, so
        // it pools apart), and that pool still holds connections the restart broke (57P01 at first use). The service's
        // recovery is under test, not the test's reads: drop them.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(_connectionString));
        downUntil = clock.Elapsed;
        output.WriteLine($"[fault-2] postgres stop {stopped.TotalSeconds:0.0} s, down {Outage.TotalSeconds:0} s, start {started.TotalSeconds:0.0} s; unreachable from t={downFrom.Value.TotalSeconds:0.0} s to t={downUntil.Value.TotalSeconds:0.0} s");
        await Task.Delay(LoadAfterRecovery); // pacing: the scenario's schedule, load after the database is back
        await stopLoad.CancelAsync();
        await Task.WhenAll(workers);
        await readiness;

        var all = results.ToList();
        var ok = all.Count(r => r.Status == HttpStatusCode.Created);
        var unavailable = all.Where(r => r.Status == HttpStatusCode.ServiceUnavailable).ToList();
        var wellFormed503 = unavailable.Count(r => r.ContentType == "application/problem+json" && !string.IsNullOrEmpty(r.Code));
        var other = all.Where(r => r.Status is not (HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable)).ToList();
        var maxLatency = all.Max(r => r.Latency);

        // Recovery, as an ordering: from the end of the first protect that succeeded after PostgreSQL returned, every
        // protect started later succeeds and readiness answers 200 — the service recovered by itself, no restart.
        var recovered = all.Where(r => r.StartedAt >= downUntil && r.Status == HttpStatusCode.Created).Select(r => r.StartedAt + r.Latency).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        var afterRecovery = all.Where(r => r.StartedAt >= recovered).ToList();
        var codes = string.Join(", ", unavailable.GroupBy(r => r.Code).Select(g => $"{g.Key}×{g.Count()}"));
        var baseline = all.Where(r => r.StartedAt + r.Latency < downFrom).Select(r => r.Latency).DefaultIfEmpty(TimeSpan.Zero).Max();
        var bound = RequestBound(_connectionString, baseline);
        await SimulatorFaults.ClearAsync(_simulator!);
        var before = await ProviderParity.MeasureAsync(_connectionString, _simulator!, SimulatorHost.PoolKey);
        var pendingIds = await PendingIdsAsync();

        output.WriteLine($"[fault-2] during/after outage: 503_codes=[{codes}] well_formed_503={wellFormed503} recovered_s_after_restart={(recovered - downUntil)?.TotalSeconds:0.0} requests_after_recovery={afterRecovery.Count} ok_after_recovery={afterRecovery.Count(r => r.Status == HttpStatusCode.Created)} baseline_ms={baseline.TotalMilliseconds:0} latency_bound_ms={bound.TotalMilliseconds:0}");
        output.WriteLine($"[fault-2] readiness: {Summarise(probes, null, downFrom)} | outage: {Summarise(probes, downFrom, downUntil)} | after: {Summarise(probes, downUntil, null)}");
        output.WriteLine($"[fault-2] before reconciliation: {before}");

        // Reconciliation: a second instance with the reconciler on (Interval 1 s, PendingAfter 2 s, OrphanAfter 2 s).
        var reconcileSettings = new Dictionary<string, string?>(_settings)
        {
            ["Jobs:Reconciler:Enabled"] = "true",
            ["Jobs:Reconciler:Interval"] = "00:00:01",
            ["Jobs:Reconciler:PendingAfter"] = "00:00:02",
            ["Jobs:Reconciler:OrphanAfter"] = "00:00:02",
            ["Jobs:Reconciler:ProviderCallsPerSecond"] = "1000",
            [$"Protection:NumberSelection:Pools:{SimulatorHost.PoolKey}:Ranges:0:Start"] = "17000000001", // the pool's X numbers, walked for orphans
            [$"Protection:NumberSelection:Pools:{SimulatorHost.PoolKey}:Ranges:0:Count"] = "20",
        };
        await using var reconciling = new FaultServiceFactory(reconcileSettings);
        using var __ = reconciling.CreateClient();
        var deadline = DateTime.UtcNow + ReconcileBound;
        var reconcileWatch = Stopwatch.StartNew();
        ProviderParity parity;
        while (!(parity = await ProviderParity.MeasureAsync(_connectionString, _simulator!, SimulatorHost.PoolKey)).Equal && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000); // pacing: polls for parity
        }

        var adopted = await ScalarAsync($"SELECT count(*) FROM bindings WHERE status = 'Active' AND id IN ({string.Join(",", pendingIds.DefaultIfEmpty(Guid.Empty).Select(id => $"'{id}'"))})");
        output.WriteLine($"[fault-2] reconciled in {reconcileWatch.Elapsed.TotalSeconds:0} s: {parity}; pending before={before.PendingLeft}, of which adopted as Active={adopted}");

        output.WriteLine($"[fault-2] requests={all.Count} ok={ok} unavailable_503={unavailable.Count} other={other.Count} max_latency_ms={maxLatency.TotalMilliseconds:0} db_active={parity.Database.Count} provider_active={parity.Provider.Count} pending_left={parity.PendingLeft}");

        Assert.True(downFrom is not null && downUntil is not null, "the outage did not run");
        Assert.True(unavailable.Count > 0, "no request failed while PostgreSQL was down: the load did not span the outage");
        Assert.True(other.Count == 0, $"every request is 201 or 503 while PostgreSQL is down: {string.Join(", ", other.GroupBy(r => r.Status).Select(g => $"{(int)g.Key}×{g.Count()}"))}");
        Assert.True(wellFormed503 == unavailable.Count, $"every 503 is application/problem+json with a code: {unavailable.Count - wellFormed503} are not");
        Assert.True(maxLatency <= bound, $"a request took {maxLatency.TotalSeconds:0.0} s; with the database down it must answer within {bound.TotalSeconds:0} s (connection timeout + retry delays + 3 × the slowest request before the outage)");
        Assert.True(probes.Any(p => p.At >= downFrom && p.At <= downUntil && p.Status == 503), "/health/ready never went unhealthy while PostgreSQL was down");
        Assert.True(recovered != TimeSpan.MaxValue, "no protect succeeded after PostgreSQL returned: the service did not recover by itself");
        Assert.True(probes.Where(p => p.At > recovered).All(p => p.Status == 200), $"/health/ready must answer 200 once the service serves again: {Summarise(probes, recovered, null)}");
        Assert.True(afterRecovery.Count > 0 && afterRecovery.All(r => r.Status == HttpStatusCode.Created),
            $"protects started once the service served again must succeed without a restart: {string.Join(", ", afterRecovery.GroupBy(r => r.Status).Select(g => $"{(int)g.Key}×{g.Count()}"))}");
        Assert.True(pendingIds.Count > 0 && before.OnlyAtProvider.Count > 0, $"the outage left no Pending binding that reached the provider, so nothing was adopted: {before}");
        Assert.True(adopted > 0, "the reconciler adopted none of the Pending bindings the provider had");
        Assert.True(parity.Equal, $"after reconciliation (bounded {ReconcileBound.TotalSeconds:0} s) the provider's bindings in effect must equal the database's Active ones with no Pending left: {parity}");

        // The request log records what the client got: a database outage is a 503 there too, never a 500.
        var requestLog = File.ReadLines(ServiceFixture.RunLogPath)
            .Where(l => l.Contains("\"RequestPath\":\"/v1/ride-orders/ride-f2-", StringComparison.Ordinal) && l.Contains("\"StatusCode\":", StringComparison.Ordinal) && l.Contains("responded", StringComparison.Ordinal))
            .ToList();
        Assert.DoesNotContain(requestLog, l => l.Contains("\"StatusCode\":500", StringComparison.Ordinal));
        Assert.Contains(requestLog, l => l.Contains("\"StatusCode\":503", StringComparison.Ordinal));
    }

    private sealed record ProtectResult(HttpStatusCode Status, string? ContentType, string? Code, TimeSpan StartedAt, TimeSpan Latency);

    /// <summary>
    /// How long a request may take while the database is down: Npgsql's connection timeout (the longest a single
    /// attempt to reach the server may wait; the connection string's Timeout, 15 s unless set), the delays of EF's
    /// retries (3 × at most 2 s, src/Infrastructure/Persistence/PersistenceSetup.cs), and the request's normal time,
    /// taken as 3 × <paramref name="baseline"/> (the slowest request before the outage, the provider's injected
    /// latency included): a request that hangs instead of failing fast runs into the client's 90 s timeout.
    /// </summary>
    private static TimeSpan RequestBound(string connectionString, TimeSpan baseline) =>
        TimeSpan.FromSeconds(new NpgsqlConnectionStringBuilder(connectionString).Timeout + (3 * 2)) + (3 * baseline);

    private async Task WarmUpAsync()
    {
        for (var i = 0; i < 10; i++)
        {
            var body = new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() };
            using var response = await _client!.PutAsJsonAsync($"/v1/ride-orders/warmup-{Guid.NewGuid():N}/protection", body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    private async Task ProtectLoopAsync(int worker, Stopwatch clock, ConcurrentQueue<ProtectResult> results, CancellationToken stop)
    {
        await Task.Yield();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var started = clock.Elapsed;
            var body = new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() };
            HttpResponseMessage response;
            try
            {
                response = await _client!.PutAsJsonAsync($"/v1/ride-orders/ride-f2-{worker}-{i}-{Guid.NewGuid():N}/protection", body, CancellationToken.None);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                results.Enqueue(new ProtectResult(0, null, ex.GetType().Name, started, clock.Elapsed - started)); // a hang past the client's timeout
                continue;
            }

            using var _ = response;
            var latency = clock.Elapsed - started;
            string? code = null;
            var contentType = response.Content.Headers.ContentType?.MediaType;
            if (contentType == "application/problem+json")
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
                code = problem.TryGetProperty("code", out var c) ? c.GetString() : null;
            }

            results.Enqueue(new ProtectResult(response.StatusCode, contentType, code, started, latency));
            try
            {
                await Task.Delay(WorkerPause, stop); // pacing: a worker's next protect
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ProbeReadinessAsync(Stopwatch clock, ConcurrentQueue<(TimeSpan At, int Status)> probes, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var at = clock.Elapsed;
            using (var response = await _client!.GetAsync("/health/ready", CancellationToken.None))
            {
                probes.Enqueue((at, (int)response.StatusCode));
            }

            try
            {
                await Task.Delay(500, stop); // pacing: readiness probed twice a second
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static string Summarise(IEnumerable<(TimeSpan At, int Status)> probes, TimeSpan? from, TimeSpan? until) =>
        string.Join(" ", probes.Where(p => (from is null || p.At >= from) && (until is null || p.At <= until)).GroupBy(p => p.Status).Select(g => $"{g.Key}×{g.Count()}"));

    /// <summary>The bindings left Pending (a protect that reached the provider, or not, before its save failed).</summary>
    private async Task<IReadOnlyList<Guid>> PendingIdsAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM bindings WHERE status = 'Pending'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
