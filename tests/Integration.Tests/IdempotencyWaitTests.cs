using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// Repeats of an Idempotency-Key request that arrive while the first still runs wait for its outcome without holding a
/// database connection or lock (docs/api.md, "Idempotency-Key"): the first holds its key by a lease, the repeats poll.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class IdempotencyWaitTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => SimulatorFaults.ClearAsync(fixture.Simulator);

    [Fact]
    public async Task RepeatsWaitingForTheFirstRequest_HoldNoDatabaseLock_AndAllGetItsResponse()
    {
        await using var instance = new BindingServiceFactory(fixture, new Dictionary<string, string?>
        {
            ["Aliyun:Actions:BindAxb:Timeout"] = "00:00:12",
            ["Idempotency:WaitTimeout"] = "00:00:20",
        });
        using var client = instance.CreateClient();
        await SimulatorFaults.SetAsync(fixture.Simulator, new { actions = new[] { "BindAxb" }, latencyMs = 3000 });
        var key = Guid.NewGuid().ToString();
        var body = new { product = "axb", orderId = $"idem-{Guid.NewGuid():N}", partyA = TestPhones.Next(), partyB = TestPhones.Next() };
        Task<HttpResponseMessage> SendAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/bindings") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return client.SendAsync(request);
        }

        var first = SendAsync();
        await WaitUntilAsync(async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE status_code = 0") == 1, "the first request's key in progress");
        var repeats = Enumerable.Range(0, 10).Select(_ => SendAsync()).ToList();

        // While the provider holds the first: no session of this database waits on a lock (the old design parked every
        // repeat on the key's row lock, one connection each).
        var lockWaiters = new List<long>();
        while (!first.IsCompleted)
        {
            lockWaiters.Add(await fixture.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"));
            await Task.Delay(50); // pacing: samples the database while the repeats wait
        }

        Assert.True(lockWaiters.Count >= 10, $"only {lockWaiters.Count} samples");
        Assert.All(lockWaiters, count => Assert.Equal(0, count));
        var original = await first;
        Assert.Equal(HttpStatusCode.Created, original.StatusCode);
        var bindingId = (await original.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString();
        foreach (var repeat in await Task.WhenAll(repeats))
        {
            Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
            Assert.Equal("true", repeat.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(bindingId, (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString());
        }

        Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE status_code = 0"));
    }

    [Fact]
    public async Task AKeyWhoseOwnerDied_IsTakenOver_AfterItsLease()
    {
        // An owner that died mid-request leaves its key in progress; once the lease has run out a repeat runs the request.
        await using var instance = new BindingServiceFactory(fixture, new Dictionary<string, string?> { ["Idempotency:Lease"] = "00:00:01" });
        using var client = instance.CreateClient();
        var key = Guid.NewGuid().ToString();
        var body = new { product = "axn", orderId = $"idem-{Guid.NewGuid():N}", partyA = TestPhones.Next() };
        var hash = await HashOfAsync(client, key, body);
        await fixture.ScalarAsync<long>(
            $"INSERT INTO idempotency_keys (caller_id, key, request_hash, status_code, created_at, owner_token, lease_until) VALUES ('default', '{key}', '\\x{hash}', 0, now(), gen_random_uuid(), now() - interval '1 second') RETURNING 1");

        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/bindings") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(await fixture.Simulator.BindingsAsync());
    }

    /// <summary>The stored request hash of <paramref name="body"/>: sent once under another key, read back, then forgotten.</summary>
    private async Task<string> HashOfAsync(HttpClient client, string key, object body)
    {
        var probeKey = $"probe-{key}";
        var probe = new HttpRequestMessage(HttpMethod.Post, "/v1/bindings") { Content = JsonContent.Create(body) };
        probe.Headers.Add("Idempotency-Key", probeKey);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(probe)).StatusCode);
        var hash = await fixture.ScalarAsync<string>($"SELECT encode(request_hash, 'hex') FROM idempotency_keys WHERE key = '{probeKey}'");
        await fixture.ResetAsync();
        return hash!;
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
}
