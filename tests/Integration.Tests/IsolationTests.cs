using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// A caller sees and changes only its own orders, bindings and groups (docs/security.md): another caller's answers 404
/// exactly as a missing one, and the owner's binding stays as it was, here and at the provider. Generic bindings and
/// groups bind only in the pools configured for the caller (403 <c>pool.not_allowed</c>).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class IsolationTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AnotherCaller_CannotRead_Change_Complete_OrRelease_ARide_AndSeesA404LikeAMissingOne()
    {
        using var owner = Caller("platform-a");
        using var other = Caller("platform-b");
        var orderId = $"ride-{Guid.NewGuid():N}";
        var driver = TestPhones.Next();
        var created = await owner.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = driver });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var before = Assert.Single(await fixture.Simulator.BindingsAsync());

        await AssertLikeMissingAsync(orderId, $"ride-{Guid.NewGuid():N}",
            id => other.GetAsync($"/v1/ride-orders/{id}/protection"),
            id => other.PutAsJsonAsync($"/v1/ride-orders/{id}/protection/driver", new { driverPhone = TestPhones.Next() }),
            id => other.PutAsJsonAsync($"/v1/ride-orders/{id}/protection/expiry", new { expiresAt = DateTimeOffset.UtcNow.AddHours(1) }),
            id => other.PutAsJsonAsync($"/v1/ride-orders/{id}/protection/recording", new { enabled = true }),
            id => other.PostAsJsonAsync($"/v1/ride-orders/{id}/protection/complete", new { }),
            id => other.DeleteAsync($"/v1/ride-orders/{id}/protection"));
        await AssertUnchangedAsync(before);
        var read = await owner.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection");
        Assert.Equal("active", read.GetProperty("status").GetString());
        Assert.Equal(GenericBindingTests.Mask(driver), read.GetProperty("driverPhone").GetString());

        // The same order id is another order for another caller: its own protection, not a conflict.
        var theirs = await other.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.NotEqual(read.GetProperty("bindingId").GetString(), (await theirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString());
    }

    [Fact]
    public async Task AnotherCaller_CannotRead_Change_OrCancel_ADelivery()
    {
        using var owner = Caller("platform-a");
        using var other = Caller("platform-b");
        var orderId = $"dlv-{Guid.NewGuid():N}";
        var created = await owner.PutAsJsonAsync($"/v1/delivery-orders/{orderId}/protection", new { customerPhone = TestPhones.Next(), courierPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var before = Assert.Single(await fixture.Simulator.BindingsAsync());
        var tracking = $"SF{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}";
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync($"/v1/delivery-orders/{orderId}/protection/tracking-number", new { trackingNumber = tracking })).StatusCode);
        before = Assert.Single(await fixture.Simulator.BindingsAsync());

        await AssertLikeMissingAsync(orderId, $"dlv-{Guid.NewGuid():N}",
            id => other.GetAsync($"/v1/delivery-orders/{id}/protection"),
            id => other.PutAsJsonAsync($"/v1/delivery-orders/{id}/protection/courier", new { courierPhone = TestPhones.Next() }),
            id => other.PutAsJsonAsync($"/v1/delivery-orders/{id}/protection/tracking-number", new { trackingNumber = $"YT{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}" }),
            id => other.DeleteAsync($"/v1/delivery-orders/{id}/protection"));
        await AssertLikeMissingAsync(tracking, $"SF{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}",
            number => other.GetAsync($"/v1/delivery-orders/by-tracking-number/{number}"));
        await AssertUnchangedAsync(before);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/v1/delivery-orders/by-tracking-number/{tracking}")).StatusCode);
    }

    [Fact]
    public async Task AnotherCaller_CannotRead_Change_OrRelease_AGenericBinding_NorUseOrChange_AGroup()
    {
        using var owner = Caller("platform-a");
        using var other = Caller("platform-b");
        var created = await owner.PostAsJsonAsync("/v1/bindings", new { product = "axb", orderId = $"g-{Guid.NewGuid():N}", partyA = TestPhones.Next(), partyB = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var bindingId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString()!;
        var group = await owner.PostAsJsonAsync("/v1/groups", new { name = "team", members = new[] { TestPhones.Next() } });
        Assert.Equal(HttpStatusCode.Created, group.StatusCode);
        var groupId = (await group.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupId").GetString()!;
        var before = Assert.Single(await fixture.Simulator.BindingsAsync());

        await AssertLikeMissingAsync(bindingId, $"{Guid.NewGuid():N}",
            id => other.GetAsync($"/v1/bindings/{id}"),
            id => other.PatchAsJsonAsync($"/v1/bindings/{id}", new { partyB = TestPhones.Next() }),
            id => other.DeleteAsync($"/v1/bindings/{id}"));
        await AssertLikeMissingAsync(groupId, $"{Guid.NewGuid():N}",
            id => other.GetAsync($"/v1/groups/{id}"),
            id => other.PostAsJsonAsync($"/v1/groups/{id}/members", new { numbers = new[] { TestPhones.Next() } }),
            id => other.PutAsJsonAsync($"/v1/groups/{id}/members", new { numbers = new[] { TestPhones.Next() } }));
        await AssertUnchangedAsync(before);
        var groupAfter = await owner.GetFromJsonAsync<JsonElement>($"/v1/groups/{groupId}");
        Assert.Equal(1, groupAfter.GetProperty("memberCount").GetInt32());

        // Nor may it bind on the owner's group: the group is not found for it.
        var onTheirGroup = await other.PostAsJsonAsync("/v1/bindings", new { product = "axg", orderId = $"g-{Guid.NewGuid():N}", partyA = TestPhones.Next(), groupId });
        Assert.Equal(HttpStatusCode.NotFound, onTheirGroup.StatusCode);
        Assert.Single(await fixture.Simulator.BindingsAsync());
    }

    [Fact]
    public async Task GenericBindingsAndGroups_BindOnlyInThePoolsConfiguredForTheCaller()
    {
        await using var instance = new BindingServiceFactory(fixture, new Dictionary<string, string?>
        {
            ["Protection:CallerPools:platform-a:0"] = SimulatorHost.AxnPoolKey,
        });
        using var restricted = instance.CreateClient();
        restricted.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TestTokens.For("platform-a"));
        using var unrestricted = instance.CreateClient();
        unrestricted.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TestTokens.For("platform-b"));

        var refused = await restricted.PostAsJsonAsync("/v1/bindings", new { product = "axb", orderId = $"g-{Guid.NewGuid():N}", partyA = TestPhones.Next(), partyB = TestPhones.Next(), poolKey = SimulatorHost.PoolKey });
        await AuthTests.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "pool.not_allowed", "a pool not listed for the caller");
        var foreignPool = await unrestricted.PostAsJsonAsync("/v1/bindings", new { product = "axb", orderId = $"g-{Guid.NewGuid():N}", partyA = TestPhones.Next(), partyB = TestPhones.Next(), poolKey = "FC999999999999999" });
        await AuthTests.AssertProblemAsync(foreignPool, HttpStatusCode.Forbidden, "pool.not_allowed", "a pool the service is not configured for");
        var groupRefused = await restricted.PostAsJsonAsync("/v1/groups", new { name = "team", poolKey = SimulatorHost.AxgPoolKey });
        await AuthTests.AssertProblemAsync(groupRefused, HttpStatusCode.Forbidden, "pool.not_allowed", "a group in a pool not listed for the caller");
        Assert.Empty(await fixture.Simulator.BindingsAsync());

        var allowed = await restricted.PostAsJsonAsync("/v1/bindings", new { product = "axn", orderId = $"g-{Guid.NewGuid():N}", partyA = TestPhones.Next(), poolKey = SimulatorHost.AxnPoolKey });
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        var ownDefault = await unrestricted.PostAsJsonAsync("/v1/bindings", new { product = "axb", orderId = $"g-{Guid.NewGuid():N}", partyA = TestPhones.Next(), partyB = TestPhones.Next(), poolKey = SimulatorHost.PoolKey });
        Assert.Equal(HttpStatusCode.Created, ownDefault.StatusCode);
    }

    private HttpClient Caller(string callerId)
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TestTokens.For(callerId));
        return client;
    }

    /// <summary>
    /// Each request, sent for another caller's <paramref name="theirs"/>, answers exactly as for a <paramref name="missing"/>
    /// one: 404, the same problem code and the same detail, so nothing tells that it exists.
    /// </summary>
    private static async Task AssertLikeMissingAsync(string theirs, string missing, params Func<string, Task<HttpResponseMessage>>[] requests)
    {
        foreach (var send in requests)
        {
            var forMissing = await send(missing);
            var forTheirs = await send(theirs);
            var missingText = await forMissing.Content.ReadAsStringAsync();
            var theirsText = await forTheirs.Content.ReadAsStringAsync();
            var what = $"{forTheirs.RequestMessage!.Method} {forTheirs.RequestMessage.RequestUri}";
            Assert.True(forTheirs.StatusCode == HttpStatusCode.NotFound, $"{what}: {(int)forTheirs.StatusCode} {theirsText}");
            Assert.Equal(forMissing.StatusCode, forTheirs.StatusCode);
            var expected = JsonSerializer.Deserialize<JsonElement>(missingText);
            var actual = JsonSerializer.Deserialize<JsonElement>(theirsText);
            Assert.Equal(expected.GetProperty("code").GetString(), actual.GetProperty("code").GetString());
            Assert.Equal(expected.GetProperty("detail").GetString(), actual.GetProperty("detail").GetString());
        }
    }

    private async Task AssertUnchangedAsync(JsonElement before)
    {
        var after = Assert.Single(await fixture.Simulator.BindingsAsync());
        foreach (var field in new[] { "subsId", "phoneNoA", "phoneNoB", "secretNo", "expiration", "status" })
        {
            if (before.TryGetProperty(field, out var was))
            {
                Assert.Equal(was.ToString(), after.GetProperty(field).ToString());
            }
        }
    }
}
