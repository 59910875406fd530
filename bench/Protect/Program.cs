// The cost of a protect, end to end (docs/performance.md): starts a private PostgreSQL and RabbitMQ
// (scripts/lib/local-servers.sh), the Aliyun simulator and the API as separate Release processes, then measures
// closed-loop protects at 1, 8 and 32 clients, the same write set through pgbench, protect latency at 10³ and 10⁶
// active bindings, 100k expiries through the sweeper and a mixed ride workload. Exits 1 when a target is missed.
//
//   dotnet run -c Release --project bench/Protect [-- --smoke]
//
// Server ports: BINDINGSERVICE_PG_PORT (55442), BINDINGSERVICE_RABBITMQ_PORT (55682), BINDINGSERVICE_RABBITMQ_DIST_PORT
// (55683), BINDINGSERVICE_RABBITMQ_NODE (bs-bench@localhost), data in BINDINGSERVICE_LOCAL_DIR (.local/bench).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using BindingService.Bench.Protect;
using Npgsql;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var smoke = args.Contains("--smoke");
var phaseTime = TimeSpan.FromSeconds(smoke ? 3 : 20);
if (Array.IndexOf(args, "--phase-seconds") is >= 0 and var ps && ps + 1 < args.Length)
{
    phaseTime = TimeSpan.FromSeconds(int.Parse(args[ps + 1], CultureInfo.InvariantCulture)); // longer phases, e.g. to attach a profiler
}

var warmupCount = smoke ? 100 : 2_000;
if (Array.IndexOf(args, "--warmup") is >= 0 and var wu && wu + 1 < args.Length)
{
    warmupCount = int.Parse(args[wu + 1], CultureInfo.InvariantCulture); // e.g. --smoke --warmup 2000: steady-state figures in a short run
}

var sizeSamples = smoke ? 50 : 500;
var boundedTime = TimeSpan.FromSeconds(smoke ? 10 : 45); // warm-up and latency samples stop at this, whatever the count
var (smallSize, largeSize) = smoke ? (1_000, 10_000) : (1_000, 1_000_000);
var expiries = smoke ? 2_000 : 100_000;
// The API under a memory limit as in its pod (the chart's resources.limits.memory is 512 MiB), e.g. --api-memory-limit 512.
int? apiMemoryLimit = Array.IndexOf(args, "--api-memory-limit") is >= 0 and var ml && ml + 1 < args.Length
    ? int.Parse(args[ml + 1], CultureInfo.InvariantCulture)
    : null;
if (Array.IndexOf(args, "--expiries") is >= 0 and var at && at + 1 < args.Length)
{
    expiries = int.Parse(args[at + 1], CultureInfo.InvariantCulture); // e.g. --smoke --expiries 100000: the sweeper alone at full size
}

var misses = new List<string>();
string? firstFailure = null;

var repoRoot = FindRepoRoot();
await using var stack = new Stack(repoRoot);
Console.WriteLine($"BindingService protect benchmark{(smoke ? " (smoke: tiny sizes)" : "")} — {Environment.ProcessorCount} cores, {MachineLine()}");
await stack.EnsureBuiltAsync();
await stack.StartServersAsync();

var database = $"bs_bench_protect_{DateTime.UtcNow:yyyyMMddHHmmss}";
await ExecAsync(stack.AdminConnection, $"CREATE DATABASE \"{database}\"");
var cs = new NpgsqlConnectionStringBuilder(stack.AdminConnection) { Database = database }.ConnectionString;
var apiEnv = new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = cs, ["ASPNETCORE_ENVIRONMENT"] = "Development", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
var migrateOutput = "";
Require(await Stack.RunAsync("dotnet", [stack.ApiDll, "migrate"], apiEnv, stack.ApiDir, TimeSpan.FromMinutes(5), o => migrateOutput = o) == 0, "migrate failed: " + migrateOutput);

var token = "";
var keys = Path.Combine(stack.LocalDir, "bench-auth");
Require(await Stack.RunAsync("dotnet", [stack.ApiDll, "dev-token", "--keys", keys, "--caller", "bench", "--scopes", "rides"], apiEnv, stack.ApiDir,
    TimeSpan.FromMinutes(2), o => token = o.Trim().Split('\n').Last().Trim()) == 0 && token.Length > 20, "dev-token failed");

// The simulator: one AXB pool of 2000 numbers, any number of pairs per X, so the run never exhausts it.
var simPort = Stack.FreePort();
var sim = stack.StartDotnet("simulator", stack.SimDll,
[
    "--urls", $"http://127.0.0.1:{simPort}", "--Simulator:MaxAxbPairsPerX=100000000",
    "--Simulator:Pools:0:PoolKey=FC100000000000001", "--Simulator:Pools:0:Product=AXB",
    "--Simulator:Pools:0:Generate:Start=17000000001", "--Simulator:Pools:0:Generate:Count=2000",
    "--Simulator:Pools:0:Generate:Cities:0=北京", "--Simulator:Pools:0:Generate:Cities:1=上海",
], new Dictionary<string, string>(), out var simLog);
using (var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(3) })
{
    await WaitAsync("simulator", sim, simLog, async () =>
    {
        try
        {
            using var _ = await probe.GetAsync(new Uri($"http://127.0.0.1:{simPort}/"));
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    });
}

var apiPort = Stack.FreePort();
foreach (var (key, value) in new Dictionary<string, string>
{
    ["RabbitMq__Host"] = "127.0.0.1", ["RabbitMq__Port"] = stack.RabbitPort.ToString(CultureInfo.InvariantCulture),
    ["RabbitMq__Username"] = "guest", ["RabbitMq__Password"] = "guest", ["RabbitMq__VirtualHost"] = "/",
    ["Aliyun__Endpoint"] = $"http://127.0.0.1:{simPort}/", ["Aliyun__AccessKeyId"] = "simulator-access-key",
    ["Aliyun__AccessKeySecret"] = "simulator-access-secret", ["Aliyun__PoolKey"] = "FC100000000000001",
    ["Authentication__SigningKeysFile"] = Path.Combine(keys, "jwks.json"), ["Authentication__Issuer"] = "bindingservice-dev",
    ["Limits__RateLimits__Default__TokenLimit"] = "1000000", ["Limits__RateLimits__Default__TokensPerPeriod"] = "1000000",
    ["Limits__MaxConcurrentRequests"] = "10000",
    // The sweeper looks every second (the expiry scenario times it); the reconciler would drift-check the bulk rows.
    ["Jobs__ExpirySweeper__Interval"] = "00:00:01", ["Jobs__Reconciler__Enabled"] = "false",
    // As the image and the chart run it (docs/performance.md, round 4); "=0" in BINDINGSERVICE_BENCH_API_ENV turns it off.
    ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1",
})
{
    apiEnv[key] = value;
}

// Extra settings for the API, for experiments: BINDINGSERVICE_BENCH_API_ENV="DOTNET_gcServer=0;Outbox__BatchSize=200".
foreach (var pair in (Environment.GetEnvironmentVariable("BINDINGSERVICE_BENCH_API_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
{
    var eq = pair.IndexOf('=', StringComparison.Ordinal);
    apiEnv[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
}

// The provider call's duration is read from the adapter's Debug line (event 3100): Debug for that category only. An
// argument, not an environment variable: /bin/sh drops variables whose names hold a dot.
var api = stack.StartDotnet("api", stack.ApiDll,
    ["--urls", $"http://127.0.0.1:{apiPort}", "--Serilog:MinimumLevel:Override:BindingService.Infrastructure.Aliyun=Debug"], apiEnv, out var apiLogPath,
    apiMemoryLimit is { } limitMb ? Stack.CreateMemoryCgroup("bindingservice-bench-api", limitMb) : null);
using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
{
    BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"),
    Timeout = TimeSpan.FromSeconds(60),
};
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
await WaitAsync("API", api, apiLogPath, async () =>
{
    try
    {
        using var r = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
        return r.StatusCode == HttpStatusCode.OK;
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        return false;
    }
});
Console.WriteLine($"servers: PostgreSQL :{stack.PgPort} (database {database}), RabbitMQ :{stack.RabbitPort}, simulator :{simPort}, API :{apiPort} (logs in {stack.LogDir})");
if (apiMemoryLimit is { } shownLimit)
{
    Console.WriteLine($"API memory limit: {shownLimit} MiB (a memory cgroup, as the pod's limit; the runtime sizes its heap from it)");
}


using var gc = TryGcMonitor(api.Id);
using var jit = new ThreadCpuMeter(api.Id, ThreadCpuMeter.JitThread);
var apiLog = new ApiLog(apiLogPath);
var load = new Load(http, $"bench-{DateTime.UtcNow:HHmmss}");

// Warm-up: JIT, connection pools, EF query caches.
var warm = await Load.RunAsync(8, warmupCount >= 1_000 ? TimeSpan.FromSeconds(45) : boundedTime, warmupCount, load.ProtectOnceAsync);
Console.WriteLine($"warm-up: {warm.Latencies.Count} protects ({warm.Failures} failed) in {warm.Wall.TotalSeconds:F1} s");
Require(warm.Latencies.Count > 0, "no protect succeeded during the warm-up: see " + apiLogPath);
await WaitForOutboxAsync();

// Tier-1 compilation follows the calls: a method is compiled again (instrumented, then optimised) after enough calls,
// so a warm-up at 8 clients alone leaves work for the first phases (at one client the JIT thread was 9-14 % of the
// API's CPU). Rounds of protects at 1, 8 and 32 clients and of rides, until the JIT thread is quiet (or a limit, said
// so); each phase below prints what the JIT thread still used (JIT ms/s). The 32-client step is there because that
// level reaches code the others do not (the connection pool grown to 32, contended paths): without it the JIT thread
// still used 13-16 ms/s in the 32-client phase, against 2-4 at 1 and 8 clients.
if (warmupCount >= 1_000)
{
    var jitClock = Stopwatch.StartNew();
    var (rounds, jitRate) = (0, double.NaN);
    while (jitClock.Elapsed < TimeSpan.FromSeconds(smoke ? 60 : 120))
    {
        var (j0, t0) = (jit.Milliseconds, Stopwatch.GetTimestamp());
        await Load.RunAsync(1, TimeSpan.FromSeconds(3), long.MaxValue, load.ProtectOnceAsync);
        await Load.RunAsync(8, TimeSpan.FromSeconds(3), long.MaxValue, load.ProtectOnceAsync);
        await Load.RunAsync(32, TimeSpan.FromSeconds(3), long.MaxValue, load.ProtectOnceAsync);
        await Load.RunAsync(8, TimeSpan.FromSeconds(3), long.MaxValue, RideAsync);
        rounds++;
        jitRate = (jit.Milliseconds - j0) / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        if (jitRate <= 10)
        {
            break;
        }
    }

    await WaitForOutboxAsync();
    Console.WriteLine($"JIT warm-up: {rounds} round(s) of protects at 1, 8 and 32 clients and rides in {jitClock.Elapsed.TotalSeconds:F0} s; the JIT thread used {jitRate:F0} ms/s in the last");
}

// The runtime keeps compiling hot methods again at tier 1 (a background thread, ".NET Tiered Compilation") for a while
// after the warm-up: hundreds of ms of CPU per second that would be charged to the first phases. Steady state is what
// is measured, so wait until the API's CPU with no request stays low (or give up after a limit and say so).
var settleLimit = TimeSpan.FromSeconds(smoke && warmupCount < 1_000 ? 20 : 180);
var settleClock = Stopwatch.StartNew();
var quiet = 0;
double lastIdle = double.NaN;
while (settleClock.Elapsed < settleLimit && quiet < 3)
{
    var before = ProcCpu.Milliseconds(api.Id);
    await Task.Delay(1000);
    lastIdle = ProcCpu.Milliseconds(api.Id) - before;
    quiet = lastIdle <= 50 ? quiet + 1 : 0;
}

Console.WriteLine(quiet >= 3
    ? $"settled: the API's CPU with no request fell to {lastIdle:F0} ms/s {settleClock.Elapsed.TotalSeconds:F0} s after the warm-up (tier-1 JIT)"
    : $"not settled after {settleLimit.TotalSeconds:F0} s: the API still burns {lastIdle:F0} ms/s with no request");

// What the processes burn with no request at all (background jobs, timers): divides into the per-protect figures at low rates.
var idle = TimeSpan.FromSeconds(smoke ? 2 : 10);
var (ia, isim, ipg) = (ProcCpu.Milliseconds(api.Id), ProcCpu.Milliseconds(sim.Id), ProcCpu.Milliseconds(stack.PostmasterPid, children: true));
await Task.Delay(idle);
Console.WriteLine($"idle CPU ms per second: API {(ProcCpu.Milliseconds(api.Id) - ia) / idle.TotalSeconds:F1}, simulator {(ProcCpu.Milliseconds(sim.Id) - isim) / idle.TotalSeconds:F1}, "
    + $"PostgreSQL {(ProcCpu.Milliseconds(stack.PostmasterPid, children: true) - ipg) / idle.TotalSeconds:F1}");

// Closed-loop protects at 1, 8, 32 clients.
Console.WriteLine();
Console.WriteLine("clients | protects/s | p50 / p90 / p99 ms | provider p50 / p99 ms | CPU ms/protect API / sim / PG | API RSS MB | GC 0/1/2 | log lines/req | failed | steal % | JIT ms/s");
var rates = new Dictionary<int, double>();
var oneClient = (P50: double.NaN, P99: double.NaN, ProviderP50: double.NaN, ProviderP99: double.NaN);
var apiCpuPerProtect = new List<double>();
var pgCpuPerProtect = new List<double>();
var simCpuPerCall = new List<double>();
foreach (var clients in new[] { 1, 8, 32 })
{
    var m = await MeasureAsync(() => Load.RunAsync(clients, phaseTime, long.MaxValue, load.ProtectOnceAsync), "BindAxb");
    rates[clients] = m.Result.PerSecond;
    var l = m.Result.Latencies;
    Console.WriteLine($"{clients,7} | {m.Result.PerSecond,10:F0} | {Stats.Percentile(l, 50),5:F1} / {Stats.Percentile(l, 90),5:F1} / {Stats.Percentile(l, 99),6:F1} | "
        + $"{Stats.Percentile(m.ProviderMs, 50),9:F1} / {Stats.Percentile(m.ProviderMs, 99),6:F1} | {m.ApiCpu,6:F2} / {m.SimCpu,5:F2} / {m.PgCpu,5:F2} | "
        + $"{m.RssMb,10:F0} | {m.Gc} | {m.LogLines,13:F2} | {m.Result.Failures} | {m.StealPct:F0} | {m.JitMsPerSecond:F0}");
    if (clients == 1)
    {
        oneClient = (Stats.Percentile(l, 50), Stats.Percentile(l, 99), Stats.Percentile(m.ProviderMs, 50), Stats.Percentile(m.ProviderMs, 99));
    }

    apiCpuPerProtect.Add(m.ApiCpu);
    pgCpuPerProtect.Add(m.PgCpu);
    simCpuPerCall.Add(m.SimCpu);
    Check(m.LogLines <= 1.0, $"log lines per request at {clients} clients: {m.LogLines:F2} > 1");
}

// The same write set through pgbench on the same server.
var pgbenchRate = await PgbenchAsync(8, phaseTime);
var bestRate = rates.Values.Max();
Console.WriteLine();
Console.WriteLine($"pgbench write set (insert Pending; activate + outbox row; mark sent) at 8 clients: {pgbenchRate:F0}/s; "
    + $"protects/s at 8 clients {rates[8]:F0} = {rates[8] / pgbenchRate:F3} of it (best level {bestRate:F0}/s = {bestRate / pgbenchRate:F3})");

// Mixed ride workload: protect, reassign the driver, complete, release — four requests per ride.
var mixed = await MeasureAsync(() => Load.RunAsync(8, phaseTime, long.MaxValue, RideAsync), "BindAxb");
Console.WriteLine($"mixed rides at 8 clients (protect, reassign driver, complete, release): {mixed.Result.PerSecond:F0} rides/s = {mixed.Result.PerSecond * 4:F0} requests/s, "
    + $"ride p50/p99 {Stats.Percentile(mixed.Result.Latencies, 50):F1}/{Stats.Percentile(mixed.Result.Latencies, 99):F1} ms, API CPU {mixed.ApiCpu:F2} ms/ride, "
    + $"log lines {mixed.LogLines / 4:F2}/request, failed {mixed.Result.Failures}{(firstFailure is null ? "" : $" (first: {firstFailure})")}");

// Protect p50 at 10³ and then 10⁶ active bindings, back to back (the machine's load drifts): the bindings of the
// phases above beyond the first 10³ are ended with SQL (no events), then the table is topped up with SQL.
await ExecAsync(cs, $"UPDATE bindings SET status = 'Expired', ended_at = now(), version = version + 1 WHERE status = 'Active' "
    + $"AND id NOT IN (SELECT id FROM bindings WHERE status = 'Active' ORDER BY created_at LIMIT {smallSize})");
await TopUpActiveAsync(smallSize);
// Each measurement starts from a vacuumed, analysed table and a checkpoint: the bulk UPDATE/INSERT leave hundreds of
// MB of dirty pages and a table autovacuum has not seen, and the checkpointer writing the pages out or autovacuum
// catching up with a million new rows during the next seconds is the bulk load's cost, not the table size's (a table
// that grew to this size in production was vacuumed and analysed on the way).
await SettleAsync();
var small = await Load.RunAsync(1, boundedTime, sizeSamples, load.ProtectOnceAsync);
var smallP50 = Stats.Percentile(small.Latencies, 50);
Console.WriteLine($"protect p50 at {smallSize:N0} active bindings: {smallP50:F2} ms ({small.Latencies.Count} protects at 1 client)");
var topUp = Stopwatch.StartNew();
await TopUpActiveAsync(largeSize);
Console.WriteLine($"topped up to {await ActiveCountAsync():N0} active bindings in {topUp.Elapsed.TotalSeconds:F0} s");
await SettleAsync();
var large = await Load.RunAsync(1, boundedTime, sizeSamples, load.ProtectOnceAsync);
var largeP50 = Stats.Percentile(large.Latencies, 50);
Console.WriteLine($"protect p50 at {largeSize:N0} active bindings: {largeP50:F2} ms ({large.Latencies.Count} protects at 1 client)");
Console.WriteLine($"protect p50: {smallP50:F2} ms at ~{smallSize:N0} active bindings, {largeP50:F2} ms at ~{largeSize:N0} (ratio {largeP50 / smallP50:F2})");

// 100k due bindings: expired by the sweeper, BindingExpired published.
var (expiryTime, expiredCount) = await ExpireAsync(expiries);
Console.WriteLine($"{expiredCount:N0} due bindings expired and their BindingExpired published in {expiryTime.TotalSeconds:F1} s ({expiredCount / expiryTime.TotalSeconds:F0}/s)");

var rss = ProcCpu.RssMb(api.Id);
Console.WriteLine($"API garbage collections during the whole run (gen 0/1/2): {(gc is null ? "n/a" : string.Join('/', gc.Snapshot()) + (gc.Error is null ? "" : $" (events stopped: {gc.Error})"))}");
Console.WriteLine($"API RSS after the run: {rss:F0} MB ({ProcCpu.RssBreakdown(api.Id)})");

// Targets (issue 13).
Console.WriteLine();
Check(apiCpuPerProtect.Max() <= 0.8, $"API CPU per protect {apiCpuPerProtect.Max():F2} ms > 0.8 ms");
Check(pgCpuPerProtect.Max() <= 1.0, $"PostgreSQL CPU per protect {pgCpuPerProtect.Max():F2} ms > 1.0 ms");
Check(rates[8] >= 0.33 * pgbenchRate, $"protects/s at 8 clients {rates[8]:F0} < 0.33 × pgbench {pgbenchRate:F0} = {0.33 * pgbenchRate:F0}");
Check(oneClient.P50 - oneClient.ProviderP50 <= 2, $"added latency at 1 client p50 {oneClient.P50 - oneClient.ProviderP50:F2} ms > 2 ms");
Check(oneClient.P99 - oneClient.ProviderP99 <= 10, $"added latency at 1 client p99 {oneClient.P99 - oneClient.ProviderP99:F2} ms > 10 ms");
Check(largeP50 <= 1.2 * smallP50, $"protect p50 at {largeSize:N0} active bindings {largeP50:F2} ms > 1.2 × {smallP50:F2} ms at {smallSize:N0}");
Check(expiredCount == expiries && expiryTime <= TimeSpan.FromSeconds(60), $"{expiries:N0} expiries published in {expiryTime.TotalSeconds:F1} s (> 60 s, or only {expiredCount:N0})");
Check(rss <= 200, $"API RSS {rss:F0} MB > 200 MB");
Check(simCpuPerCall.Max() <= 0.5, $"simulator CPU per call {simCpuPerCall.Max():F2} ms > 0.5 ms");
if (misses.Count == 0)
{
    Console.WriteLine("all targets met");
    return 0;
}

Console.WriteLine($"{misses.Count} target(s) missed:");
misses.ForEach(m => Console.WriteLine($"  MISSED: {m}"));
return 1;

// ---------------------------------------------------------------------------------------------------------------

async Task<Measurement> MeasureAsync(Func<Task<LoadResult>> run, string providerAction)
{
    var mark = apiLog.Mark();
    var gc0 = gc?.Snapshot();
    var (a0, s0, p0) = (ProcCpu.Milliseconds(api.Id), ProcCpu.Milliseconds(sim.Id), ProcCpu.Milliseconds(stack.PostmasterPid, children: true));
    var steal0 = ProcCpu.MachineSteal();
    var (jit0, clock) = (jit.Milliseconds, Stopwatch.StartNew());
    var result = await run();
    await WaitForOutboxAsync(); // the events of the phase's protects are part of their cost
    var (a1, s1, p1) = (ProcCpu.Milliseconds(api.Id), ProcCpu.Milliseconds(sim.Id), ProcCpu.Milliseconds(stack.PostmasterPid, children: true));
    var gc1 = gc?.Snapshot();
    var steal1 = ProcCpu.MachineSteal();
    var jitMsPerSecond = (jit.Milliseconds - jit0) / clock.Elapsed.TotalSeconds;
    await Task.Delay(500); // the log sink flushes every 200 ms
    var (lines, provider) = apiLog.Since(mark, providerAction);
    var n = Math.Max(1, result.Latencies.Count);
    var gcText = gc0 is null || gc1 is null ? "n/a" : string.Join('/', gc1.Zip(gc0, (x, y) => x - y));
    return new Measurement(result, provider, (a1 - a0) / n, (s1 - s0) / Math.Max(1, provider.Count), (p1 - p0) / n, ProcCpu.RssMb(api.Id), gcText, (double)lines / n,
        100.0 * (steal1.Steal - steal0.Steal) / Math.Max(1, steal1.Total - steal0.Total), jitMsPerSecond);
}

async Task<bool> Failed(string step, HttpResponseMessage response)
{
    if (firstFailure is null)
    {
        firstFailure = $"{step}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    return false;
}

async Task<bool> RideAsync()
{
    var (order, a, b) = load.NextRide();
    using (var r = await load.ProtectAsync(order, a, b))
    {
        if (r.StatusCode != HttpStatusCode.Created)
        {
            return await Failed("protect", r);
        }
    }

    var newDriver = "137" + b[3..];
    using (var r = await http.PutAsJsonAsync($"v1/ride-orders/{order}/protection/driver", new { driverPhone = newDriver }))
    {
        if (!r.IsSuccessStatusCode)
        {
            return await Failed("reassign", r);
        }
    }

    using (var r = await http.PostAsJsonAsync($"v1/ride-orders/{order}/protection/complete", new { grace = "00:02:00" }))
    {
        if (!r.IsSuccessStatusCode)
        {
            return await Failed("complete", r);
        }
    }

    using var release = await http.DeleteAsync(new Uri($"v1/ride-orders/{order}/protection", UriKind.Relative));
    return release.IsSuccessStatusCode || await Failed("release", release);
}

async Task WaitForOutboxAsync()
{
    var deadline = Stopwatch.StartNew();
    while (await ScalarAsync<long>(cs, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL") > 0 && deadline.Elapsed < TimeSpan.FromSeconds(60))
    {
        await Task.Delay(100);
    }
}

async Task<long> ActiveCountAsync() => await ScalarAsync<long>(cs, "SELECT count(*) FROM bindings WHERE status = 'Active'");

// Copies of a real Active binding (its encrypted parties decrypt) with new ids, order ids and SubsIds.
async Task InsertCopiesAsync(long count, string tag, string expiresAt)
{
    var columns = await ColumnsAsync("bindings");
    var template = await ScalarAsync<Guid>(cs, "SELECT id FROM bindings WHERE status = 'Active' AND business_line = 'Ride' ORDER BY created_at LIMIT 1");
    var exprs = columns.Select(c => c switch
    {
        "id" => "gen_random_uuid()",
        "order_id" => $"'{tag}-' || g",
        "subs_id" => $"(9000000000000000::bigint + {DateTime.UtcNow.Ticks % 100_000L}::bigint * 10000000 + g)::text",
        "expires_at" => expiresAt,
        "created_at" or "updated_at" => "now()",
        _ => c,
    });
    for (long done = 0; done < count; done += 200_000)
    {
        var batch = Math.Min(200_000, count - done);
        await ExecAsync(cs, $"INSERT INTO bindings ({string.Join(", ", columns)}) SELECT {string.Join(", ", exprs)} "
            + $"FROM bindings t, generate_series({done + 1}, {done + batch}) AS g WHERE t.id = '{template}'");
    }

    await ExecAsync(cs, "VACUUM ANALYZE bindings");
}

async Task SettleAsync()
{
    await ExecAsync(cs, "VACUUM ANALYZE bindings");
    await ExecAsync(cs, "CHECKPOINT");
    // Then protects that are not counted, at the measurement's pace: the first ones after a bulk step meet cold caches
    // and parked threads, which is the step's cost, not the table size's.
    await Load.RunAsync(1, boundedTime, sizeSamples / 2, load.ProtectOnceAsync);
}

async Task TopUpActiveAsync(long target)
{
    var missing = target - await ActiveCountAsync();
    if (missing > 0)
    {
        await InsertCopiesAsync(missing, $"bulk{target}", "now() + interval '1 day'");
    }
}

async Task<(TimeSpan Time, long Count)> ExpireAsync(int count)
{
    var before = await ScalarAsync<long>(cs, "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%Expired%' AND sent_at IS NOT NULL");
    // Due in 2 s: the clock starts when they become due, not while they are inserted.
    var dueAt = DateTimeOffset.UtcNow.AddSeconds(2);
    await InsertCopiesAsync(count, $"due{dueAt:HHmmss}", $"'{dueAt:O}'::timestamptz");
    var wait = dueAt - DateTimeOffset.UtcNow;
    if (wait > TimeSpan.Zero)
    {
        await Task.Delay(wait);
    }

    var clock = Stopwatch.StartNew();
    var limit = TimeSpan.FromSeconds(smoke ? 60 : 180);
    long published = 0;
    TimeSpan? allExpired = null;
    while (clock.Elapsed < limit)
    {
        if (allExpired is null && await ScalarAsync<long>(cs, $"SELECT count(*) FROM bindings WHERE status = 'Active' AND expires_at <= '{dueAt:O}'::timestamptz") == 0)
        {
            allExpired = clock.Elapsed;
            Console.WriteLine($"  all {count:N0} marked Expired after {allExpired.Value.TotalSeconds:F1} s");
        }

        published = await ScalarAsync<long>(cs, "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%Expired%' AND sent_at IS NOT NULL") - before;
        if (published >= count)
        {
            break;
        }

        await Task.Delay(200);
    }

    return (clock.Elapsed, published);
}

async Task<double> PgbenchAsync(int clients, TimeSpan duration)
{
    var script = await PgbenchScriptAsync();
    var file = Path.Combine(stack.LogDir, "write-set.sql");
    await File.WriteAllTextAsync(file, script);
    var output = "";
    var env = new Dictionary<string, string> { ["PGPASSWORD"] = "postgres" };
    var pgbench = Path.Combine(Environment.GetEnvironmentVariable("BINDINGSERVICE_PG_BIN") ?? "/usr/lib/postgresql/15/bin", "pgbench");
    var code = await Stack.RunAsync(pgbench, ["-h", "127.0.0.1", "-p", stack.PgPort.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-n",
        "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        "-M", "prepared", "-f", file, database], env, stack.LogDir, duration + TimeSpan.FromMinutes(2), o => output = o);
    var tps = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps = ", StringComparison.Ordinal));
    Require(code == 0 && tps is not null, $"pgbench failed (exit {code}): {output}");
    return double.Parse(tps!.Split(' ')[2], CultureInfo.InvariantCulture);
}

// The write set of one protect with the service's own tables and a real row's values: (1) insert the Pending
// binding; (2) activate it (version check) and write its BindingCreated outbox row; (3) mark the row sent.
async Task<string> PgbenchScriptAsync()
{
    var binding = await ScalarAsync<Guid>(cs, "SELECT id FROM bindings WHERE status = 'Active' AND business_line = 'Ride' AND order_id LIKE 'bench-%' ORDER BY created_at DESC LIMIT 1");
    var outbox = await ScalarAsync<Guid>(cs, $"SELECT id FROM outbox_messages WHERE aggregate_id = '{binding}' ORDER BY sequence LIMIT 1");
    var bindingValues = await LiteralsAsync("bindings", binding, new()
    {
        ["id"] = "gen_random_uuid()", ["order_id"] = "'pgb-' || gen_random_uuid()", ["status"] = "'Pending'", ["secret_no"] = "NULL",
        ["subs_id"] = "NULL", ["version"] = "1", ["created_at"] = "now()", ["updated_at"] = "now()",
    });
    var outboxValues = await LiteralsAsync("outbox_messages", outbox, new()
    {
        ["id"] = "gen_random_uuid()", ["aggregate_id"] = ":bid", ["sent_at"] = "NULL", ["occurred_at"] = "now()", ["sequence"] = null,
    });
    var sb = new StringBuilder();
    sb.AppendLine("BEGIN;");
    sb.AppendLine($"INSERT INTO bindings ({bindingValues.Columns}) VALUES ({bindingValues.Values}) RETURNING id AS bid \\gset");
    sb.AppendLine("COMMIT;");
    sb.AppendLine("BEGIN;");
    sb.AppendLine("UPDATE bindings SET status = 'Active', secret_no = '17000000001', subs_id = '1000000700000001', version = version + 1, updated_at = now() WHERE id = :bid AND version = 1;");
    sb.AppendLine($"INSERT INTO outbox_messages ({outboxValues.Columns}) VALUES ({outboxValues.Values}) RETURNING id AS oid \\gset");
    sb.AppendLine("COMMIT;");
    sb.AppendLine("UPDATE outbox_messages SET sent_at = now(), attempts = attempts + 1 WHERE id = :oid;");
    return sb.ToString();
}

// Column list and SQL literals of one row, with some columns replaced by expressions (null: left out).
async Task<(string Columns, string Values)> LiteralsAsync(string table, Guid id, Dictionary<string, string?> overrides)
{
    var columns = (await ColumnsAsync(table)).Where(c => !overrides.TryGetValue(c, out var o) || o is not null).ToList();
    var values = new List<string>();
    foreach (var c in columns)
    {
        values.Add(overrides.TryGetValue(c, out var o) ? o! : await ScalarAsync<string>(cs, $"SELECT quote_nullable({c}) FROM {table} WHERE id = '{id}'"));
    }

    return (string.Join(", ", columns), string.Join(", ", values));
}

async Task<List<string>> ColumnsAsync(string table)
{
    await using var connection = new NpgsqlConnection(cs);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @t AND is_generated = 'NEVER' AND identity_generation IS NULL ORDER BY ordinal_position", connection);
    command.Parameters.AddWithValue("t", table);
    var columns = new List<string>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        columns.Add(reader.GetString(0));
    }

    return columns;
}

void Check(bool ok, string miss)
{
    if (!ok)
    {
        misses.Add(miss);
    }
}

static void Require(bool ok, string message)
{
    if (!ok)
    {
        throw new InvalidOperationException(message);
    }
}

static async Task WaitAsync(string name, Process process, string log, Func<Task<bool>> ready)
{
    var deadline = Stopwatch.StartNew();
    while (!await ready())
    {
        if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(120))
        {
            Console.Error.WriteLine(string.Join('\n', File.Exists(log) ? File.ReadLines(log).TakeLast(40) : []));
            throw new InvalidOperationException($"the {name} did not start (log {log})");
        }

        await Task.Delay(500);
    }
}

static GcMonitor? TryGcMonitor(int pid)
{
    try
    {
        return new GcMonitor(pid);
    }
    catch (Exception ex) when (ex is Microsoft.Diagnostics.NETCore.Client.ServerNotAvailableException or IOException or UnauthorizedAccessException)
    {
        Console.WriteLine($"GC counts unavailable: {ex.Message}");
        return null;
    }
}

static async Task ExecAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    await command.ExecuteNonQueryAsync();
}

static async Task<T> ScalarAsync<T>(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    return (T)(await command.ExecuteScalarAsync())!;
}

static string FindRepoRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BindingService.sln")))
            {
                return dir.FullName;
            }
        }
    }

    throw new InvalidOperationException("run from inside the repository (BindingService.sln not found)");
}

static string MachineLine()
{
    var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
    var memKb = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    return $"{model}, {long.Parse(memKb, CultureInfo.InvariantCulture) / 1024 / 1024} GB";
}

internal sealed record Measurement(LoadResult Result, List<double> ProviderMs, double ApiCpu, double SimCpu, double PgCpu, double RssMb, string Gc, double LogLines, double StealPct, double JitMsPerSecond);
