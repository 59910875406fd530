using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests.Operators;

/// <summary>
/// Issue 14, "Done when" 2, on the built service as a real process with its management port: buy a number into the
/// local ride pool, lock it (nothing can be protected on it), unlock it, protect a ride on it, have its release refused
/// while the ride is bound, release the ride, release the number; the Prometheus scrape on the management port shows
/// the pool's utilisation change at each step, and the main port does not serve /metrics.
/// </summary>
public sealed partial class NumberScenarioTests(ServiceProcessEnvironment environment) : IClassFixture<ServiceProcessEnvironment>
{
    private const string Pool = SimulatorHost.PoolKey;
    private static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task BuyLockProtectRefuseReleaseRideReleaseNumber_ThroughOurApi_AndTheScrapeShowsTheUtilisation()
    {
        await environment.Simulator.ResetAsync();
        var managementPort = ServiceProcess.FreePort();
        var settings = environment.Settings(new Dictionary<string, string?>
        {
            ["Hosting:ManagementPort"] = managementPort.ToString(CultureInfo.InvariantCulture),
            [$"Protection:NumberSelection:Pools:{Pool}:Mode"] = "local",
            ["Protection:NumberSelection:SyncOnStart"] = "false",
            ["Operators:Capacity:LowFreePairs"] = "150",
            ["Operators:Capacity:CheckInterval"] = "00:00:01",
        });
        await using var service = await ServiceProcess.StartAsync("operators", settings);
        var api = service.Client;
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}/"), Timeout = TimeSpan.FromSeconds(30) };

        // The scrape endpoint is on the management port only; the management port serves no API.
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync($"/v1/admin/pools/{Pool}/numbers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/metrics")).StatusCode);

        // Buy: the number comes from the simulator's stock in 北京 and is selectable in the local pool at once.
        var stockBefore = await StockAsync(api, "北京");
        var key = Guid.NewGuid().ToString();
        var bought = await BuyAsync(api, key);
        Assert.Equal(HttpStatusCode.Created, bought.StatusCode);
        var number = await bought.Content.ReadFromJsonAsync<JsonElement>();
        var x = number.GetProperty("secretNo").GetString()!;
        Assert.Equal("北京", number.GetProperty("city").GetString());
        Assert.Equal("Available", number.GetProperty("inventoryState").GetString());
        Assert.Equal($"/v1/admin/pools/{Pool}/numbers/{x}", bought.Headers.Location?.OriginalString);

        // The same key again is replayed: nothing more is bought.
        var replay = await BuyAsync(api, key);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(x, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secretNo").GetString());
        Assert.Equal(stockBefore - 1, await StockAsync(api, "北京"));
        await ScrapeUntilAsync(management, "bindingservice_pool_pairs_free", 200);

        // Locked: the only number of the pool cannot be chosen.
        var locked = await api.PutAsync($"/v1/admin/pools/{Pool}/numbers/{x}/lock", null);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var lockedView = await locked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("locked", lockedView.GetProperty("providerStatus").GetString());
        Assert.Equal("Locked", lockedView.GetProperty("inventoryState").GetString());
        await ScrapeUntilAsync(management, "bindingservice_pool_pairs_free", 0);
        await LogUntilAsync(service, $"Pool capacity low: pool \\\"{Pool}\\\" can carry 0 more pairs"); // below Operators:Capacity:LowFreePairs, as the JSON log renders it
        await ScrapeUntilAsync(management, "bindingservice_pool_capacity_low_total", 1, city: null);
        var refusedRide = await ProtectAsync(api, $"ride-{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedRide.StatusCode);
        Assert.Equal("pool.exhausted", (await refusedRide.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        Assert.Equal(HttpStatusCode.OK, (await api.DeleteAsync($"/v1/admin/pools/{Pool}/numbers/{x}/lock")).StatusCode);

        // A ride on it.
        var orderId = $"ride-{Guid.NewGuid():N}";
        var ride = await ProtectAsync(api, orderId);
        Assert.Equal(HttpStatusCode.Created, ride.StatusCode);
        Assert.Equal(x, (await ride.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("virtualNumber").GetString());
        await ScrapeUntilAsync(management, "bindingservice_pool_pairs_used", 1);
        await ScrapeUntilAsync(management, "bindingservice_pool_pairs_free", 199);

        // While the ride is on, the scrape holds every metric the dashboard queries, except counters that appear only once they count something
        // this run does not cause (a circuit opening, a reconciler run: the reconciler is off in the tests, a failed publish).
        // (The ride's BindingCreated is published by the outbox a moment later: its counter may take a few scrapes.)
        string[] onlyOnceCounted = ["bindingservice_aliyun_circuit_transitions_total", "bindingservice_jobs_reconciler_outcomes_total", "bindingservice_outbox_publish_failures_total", "bindingservice_jobs_expiry_expired_total"];
        var dashboard = DashboardMetrics();
        Assert.Contains("bindingservice_pool_pairs_free", dashboard);
        var deadline = DateTime.UtcNow + ScrapeTimeout;
        List<string> missing;
        string scrape;
        do
        {
            scrape = await management.GetStringAsync("/metrics");
            var families = SeriesName().Matches(scrape).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
            missing = dashboard.Except(onlyOnceCounted).Where(m => !families.Contains(m)).ToList();
            if (missing.Count > 0)
            {
                await Task.Delay(200); // pacing between scrapes; the wait is on the scraped families
            }
        }
        while (missing.Count > 0 && DateTime.UtcNow < deadline);

        Assert.True(missing.Count == 0, $"on the dashboard but not in the scrape: {string.Join(", ", missing)}\n{scrape}");
        // The log sinks' buffers (docs/operations.md, "Logs"): nothing dropped in a run this small.
        Assert.Matches(@"(?m)^bindingservice_logging_dropped_total(\{[^}]*\})? 0(\s|$)", scrape);
        Assert.Contains("bindingservice_logging_buffered", scrape, StringComparison.Ordinal);

        // The number carries the ride: its release is refused and unbinds nothing.
        var refused = await api.DeleteAsync($"/v1/admin/pools/{Pool}/numbers/{x}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("number.bound", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("active", (await api.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection")).GetProperty("status").GetString());
        Assert.Contains(await environment.Simulator.BindingsAsync(), b => b.GetProperty("secretNo").GetString() == x);

        // The ride ends; then the number goes.
        Assert.Equal(HttpStatusCode.OK, (await api.DeleteAsync($"/v1/ride-orders/{orderId}/protection")).StatusCode);
        await ScrapeUntilAsync(management, "bindingservice_pool_pairs_used", 0);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/v1/admin/pools/{Pool}/numbers/{x}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/v1/admin/pools/{Pool}/numbers/{x}")).StatusCode); // a repeat
        var gone = await api.GetAsync($"/v1/admin/pools/{Pool}/numbers/{x}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("number.not_found", (await gone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        await ScrapeUntilAsync(management, "bindingservice_pool_pairs_free", null);

        // Every change audited once, newest first, with the caller.
        var audit = await api.GetFromJsonAsync<JsonElement>($"/v1/admin/audit?poolKey={Pool}&subject={x}");
        var entries = audit.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["number.release", "number.unlock", "number.lock", "number.buy"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal("default", e.GetProperty("callerId").GetString()));
        Assert.Equal(4L, await environment.ScalarAsync<long>($"SELECT count(*) FROM operator_audit WHERE subject = '{x}'"));
    }

    /// <summary>The metric names the dashboard's queries use (deploy/dashboards/bindingservice.json).</summary>
    private static HashSet<string> DashboardMetrics()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BindingService.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory.FullName, "deploy", "dashboards", "bindingservice.json")));
        return json.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .SelectMany(t => DashboardMetric().Matches(t.GetProperty("expr").GetString()!).Select(m => m.Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<HttpResponseMessage> BuyAsync(HttpClient api, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/admin/pools/{Pool}/numbers/purchases") { Content = JsonContent.Create(new { city = "北京", specId = 1 }) };
        request.Headers.Add("Idempotency-Key", key);
        return await api.SendAsync(request);
    }

    private static Task<HttpResponseMessage> ProtectAsync(HttpClient api, string orderId) =>
        api.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next(), city = "北京" });

    private static async Task<long> StockAsync(HttpClient api, string city) =>
        (await api.GetFromJsonAsync<JsonElement>($"/v1/admin/number-stock?city={Uri.EscapeDataString(city)}")).GetProperty("amount").GetInt64();

    /// <summary>
    /// Scrapes until the pool's 北京 series of <paramref name="metric"/> shows <paramref name="expected"/> (null: no
    /// such series). The gauges are read from the database when scraped; the exporter caches a scrape briefly, so the
    /// change shows within a few scrapes. Fails with the last scrape after <see cref="ScrapeTimeout"/>.
    /// </summary>
    private static async Task ScrapeUntilAsync(HttpClient management, string metric, long? expected, string? city = "北京")
    {
        var deadline = DateTime.UtcNow + ScrapeTimeout;
        string text;
        long? value;
        do
        {
            text = await management.GetStringAsync("/metrics");
            value = ValueOf(text, metric, city);
            if (value == expected)
            {
                return;
            }

            await Task.Delay(200); // pacing between scrapes; the wait is on the scraped value
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{metric} for pool {Pool}, 北京, was {value?.ToString(CultureInfo.InvariantCulture) ?? "absent"}, not {expected?.ToString(CultureInfo.InvariantCulture) ?? "absent"}, after {ScrapeTimeout}:\n{text}");
    }

    /// <summary>Waits until the service's JSON log holds <paramref name="text"/>; fails after <see cref="ScrapeTimeout"/>.</summary>
    private static async Task LogUntilAsync(ServiceProcess service, string text)
    {
        var deadline = DateTime.UtcNow + ScrapeTimeout;
        do
        {
            await using (var stream = new FileStream(service.LogPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(stream))
            {
                if ((await reader.ReadToEndAsync()).Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            await Task.Delay(200); // pacing between reads; the wait is on the log line
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"the log never said '{text}' within {ScrapeTimeout}");
    }

    private static long? ValueOf(string scrape, string metric, string? city)
    {
        foreach (Match m in SeriesLine().Matches(scrape))
        {
            if (m.Groups["name"].Value == metric && m.Groups["labels"].Value.Contains($"pool=\"{Pool}\"", StringComparison.Ordinal) && (city is null || m.Groups["labels"].Value.Contains($"city=\"{city}\"", StringComparison.Ordinal)))
            {
                return (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SeriesLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", RegexOptions.Multiline)]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"\b(bindingservice_[a-z_]+|http_server_request_duration_seconds_[a-z]+)\b")]
    private static partial Regex DashboardMetric();
}
