using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>The Idempotency-Key header: replay, mismatch, concurrency (invariant 7: replicas behave as one), retention.</summary>
[Collection(ServiceCollection.Name)]
public sealed class IdempotencyTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SameKeyAndBody_ReplaysTheFirstResponse_StatusBodyAndLocation()
    {
        var key = Guid.NewGuid().ToString();
        var body = new { product = "axb", orderId = $"idem-{Guid.NewGuid():N}", partyA = TestPhones.Next(), partyB = TestPhones.Next() };

        var first = await PostAsync("/v1/bindings", body, key);
        var second = await PostAsync("/v1/bindings", body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode); // without the key a repeat is 200: this is the stored 201
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM idempotency_keys WHERE key = '{key}' AND status_code = 201"));

        // Without a key (or with another one) the binding's own idempotency answers 200.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/v1/bindings", body, key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/v1/bindings", body, Guid.NewGuid().ToString())).StatusCode);

        // Four posts, one binding, one event.
        Assert.Equal(["BindingCreated"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == body.orderId)).Select(e => e.MessageType));
    }

    [Fact]
    public async Task SameKey_WithAnotherBody_Is422_AndRunsNothing()
    {
        var key = Guid.NewGuid().ToString();
        var first = await PostAsync("/v1/bindings", new { product = "axn", orderId = $"idem-{Guid.NewGuid():N}", partyA = TestPhones.Next() }, key);
        var reused = await PostAsync("/v1/bindings", new { product = "axn", orderId = $"idem-{Guid.NewGuid():N}", partyA = TestPhones.Next() }, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("idempotency.key_reused", (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Single(await fixture.Simulator.BindingsAsync());
    }

    [Fact]
    public async Task TwentyConcurrentIdenticalKeyedPosts_CreateOneBinding_AndAllGetTheFirstResponse_Invariant7()
    {
        var key = Guid.NewGuid().ToString();
        var orderId = $"idem-{Guid.NewGuid():N}";
        var body = new { product = "axnExtension", orderId, partyA = TestPhones.Next() };

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync("/v1/bindings", body, key)));

        // Every request got the one stored 201 (the binding's own idempotency alone would answer 200 to the others).
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Equal(19, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE order_id = '{orderId}'"));
        Assert.Equal(["BindingCreated"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId)).Select(e => e.MessageType));
    }

    [Fact]
    public async Task AKeyPastItsRetention_IsForgotten()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync("/v1/bindings", new { product = "axn", orderId = $"idem-{Guid.NewGuid():N}", partyA = TestPhones.Next() }, key)).StatusCode);
        await fixture.ScalarAsync<int>($"UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = '{key}'");

        var reusedLater = await PostAsync("/v1/bindings", new { product = "axn", orderId = $"idem-{Guid.NewGuid():N}", partyA = TestPhones.Next() }, key);

        Assert.Equal(HttpStatusCode.Created, reusedLater.StatusCode);
        Assert.Equal(2, (await fixture.Simulator.BindingsAsync()).Count);
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM idempotency_keys WHERE key = '{key}' AND created_at > now() - interval '1 hour'"));
    }

    [Fact]
    public async Task GroupCreation_HonoursTheKey_AndAMalformedKeyIs400()
    {
        var key = Guid.NewGuid().ToString();
        var body = new { name = "idem", members = new[] { TestPhones.Next() } };

        var first = await PostAsync("/v1/groups", body, key);
        var second = await PostAsync("/v1/groups", body, key);
        var malformed = await PostAsync("/v1/groups", body, new string('k', 256));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Single((await fixture.Simulator.Control.GetFromJsonAsync<JsonElement>("_sim/groups")).EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string url, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await fixture.Client.SendAsync(request);
    }
}
