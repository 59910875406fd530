using System.Net;
using System.Net.Http.Json;
using System.Text;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// What a caller and a request may cost (docs/security.md, "Quotas and limits"): a per-caller token bucket per route
/// group (429 with Retry-After, then recovery; other callers and groups unaffected), a request body limit (413) and a
/// request timeout (504), each answered as a problem.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class LimitsTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => SimulatorFaults.ClearAsync(fixture.Simulator);

    [Fact]
    public async Task ABurstOverTheCallersQuota_Is429WithRetryAfter_OnlyForThatCallerAndGroup_ThenRecovers()
    {
        // 5 requests at once, then one more every 2 s.
        await using var instance = new BindingServiceFactory(fixture, new Dictionary<string, string?>
        {
            ["Limits:RateLimits:Groups:rides:TokenLimit"] = "5",
            ["Limits:RateLimits:Groups:rides:TokensPerPeriod"] = "1",
            ["Limits:RateLimits:Groups:rides:ReplenishmentPeriod"] = "00:00:02",
        });
        using var greedy = instance.CreateClient();
        greedy.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TestTokens.For("greedy"));
        using var modest = instance.CreateClient();
        modest.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TestTokens.For("modest"));

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 8 && refused is null; i++)
        {
            var response = await greedy.GetAsync($"/v1/ride-orders/r-{i}/protection");
            statuses.Add(response.StatusCode);
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        Assert.True(statuses.Count(s => s == HttpStatusCode.NotFound) >= 5, string.Join(",", statuses)); // the burst is served
        await AuthTests.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited", "over quota");
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        // Another caller, and the same caller in another route group, have buckets of their own.
        Assert.Equal(HttpStatusCode.NotFound, (await modest.GetAsync("/v1/ride-orders/r-1/protection")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await greedy.GetAsync("/v1/delivery-orders/d-1/protection")).StatusCode);

        // After the time it was told, the greedy caller is served again.
        await Task.Delay(retryAfter.Value); // the wait the service asked for: the recovery under test
        var recovered = await RetryWhileLimitedAsync(greedy, "/v1/ride-orders/r-9/protection");
        Assert.Equal(HttpStatusCode.NotFound, recovered);
    }

    [Fact]
    public async Task ABodyOverTheLimit_Is413Problem_AndNothingIsBound()
    {
        var body = new StringBuilder("{\"passengerPhone\":\"13800138000\",\"driverPhone\":\"13900139000\",\"city\":\"");
        body.Append('x', 1024 * 1024).Append("\"}");
        using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/json");

        var response = await fixture.Client.PutAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection", content);

        var problem = await AuthTests.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request.too_large", "a 1 MB body");
        Assert.Contains("65536", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await fixture.Simulator.BindingsAsync());
    }

    [Fact]
    public async Task ARequestOverTheTimeout_Is504Problem()
    {
        // A protect waiting for an identical one that the provider holds for 4 s: the request may take 1 s, the wait for
        // the Pending binding up to 20 s. (A provider change already sent is never cut short: the first request finishes.)
        await using var instance = new BindingServiceFactory(fixture, new Dictionary<string, string?>
        {
            ["Limits:RequestTimeout"] = "00:00:01",
            ["Protection:PendingWaitTimeout"] = "00:00:20",
            ["Aliyun:Actions:BindAxb:Timeout"] = "00:00:12",
        });
        using var client = instance.CreateClient();
        await SimulatorFaults.SetAsync(fixture.Simulator, new { actions = new[] { "BindAxb" }, latencyMs = 4000 });
        var path = $"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection";
        var body = new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() };
        var first = client.PutAsJsonAsync(path, body);
        await WaitUntilAsync(async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings WHERE status = 'Pending'") == 1, "the first protect's Pending binding");

        var response = await client.PutAsJsonAsync(path, body);

        var problem = await AuthTests.AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "request.timeout", "a wait past the timeout");
        Assert.Contains("Idempotency-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var firstStatus = (await first).StatusCode;
        Assert.True(firstStatus is HttpStatusCode.Created or HttpStatusCode.GatewayTimeout, $"first: {(int)firstStatus}");
        Assert.Single(await fixture.Simulator.BindingsAsync());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 20 s: {what}");
            await Task.Delay(20); // pacing: a poll
        }
    }

    private static async Task<HttpStatusCode> RetryWhileLimitedAsync(HttpClient client, string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 3)
            {
                return response.StatusCode;
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)); // the wait the service asked for
        }
    }
}
