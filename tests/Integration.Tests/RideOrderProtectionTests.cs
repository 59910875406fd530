using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>Protect → repeat → read → release a ride order through the real service, database, broker and simulator.</summary>
[Collection(ServiceCollection.Name)]
public sealed class RideOrderProtectionTests(ServiceFixture fixture) : IAsyncLifetime
{
    private static readonly HashSet<string> SimulatorPool = Enumerable.Range(1, 20).Select(i => $"170000000{i:D2}").ToHashSet();

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Protect_Repeat_Read_Release_WorksEndToEnd_AndPublishesCreatedThenReleased()
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        var passenger = TestPhones.Next();
        var driver = TestPhones.Next();
        var body = new { passengerPhone = passenger, driverPhone = driver, city = "北京" };

        // Protect: 201 with a virtual number from the simulator's pool.
        var created = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var protection = await created.Content.ReadFromJsonAsync<JsonElement>();
        var bindingId = protection.GetProperty("bindingId").GetString()!;
        var virtualNumber = protection.GetProperty("virtualNumber").GetString()!;
        Assert.Contains(virtualNumber, SimulatorPool);
        Assert.Equal("active", protection.GetProperty("status").GetString());
        Assert.Equal(Mask(passenger), protection.GetProperty("passengerPhone").GetString());
        Assert.Equal(Mask(driver), protection.GetProperty("driverPhone").GetString());
        Assert.Equal($"/v1/ride-orders/{orderId}/protection", created.Headers.Location?.OriginalString);

        // Repeat: 200 with the same binding.
        var repeated = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", body);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        var again = await repeated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(bindingId, again.GetProperty("bindingId").GetString());
        Assert.Equal(virtualNumber, again.GetProperty("virtualNumber").GetString());

        // Read.
        var read = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection");
        Assert.Equal(bindingId, read.GetProperty("bindingId").GetString());

        // The provider holds exactly this binding, with the real numbers and our ids.
        var atProvider = Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal(passenger, atProvider.GetProperty("phoneNoA").GetString());
        Assert.Equal(driver, atProvider.GetProperty("phoneNoB").GetString());
        Assert.Equal(virtualNumber, atProvider.GetProperty("secretNo").GetString());
        Assert.Equal(Guid.Parse(bindingId).ToString("N"), atProvider.GetProperty("outId").GetString());
        Assert.Equal(orderId, atProvider.GetProperty("outOrderId").GetString());

        // Release.
        var released = await fixture.Client.DeleteAsync($"/v1/ride-orders/{orderId}/protection");
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal("released", (await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.DoesNotContain(await fixture.Simulator.BindingsAsync(), b => b.GetProperty("status").ValueKind == JsonValueKind.Number && b.GetProperty("status").GetInt32() == 1);

        // Releasing again is idempotent.
        var releasedAgain = await fixture.Client.DeleteAsync($"/v1/ride-orders/{orderId}/protection");
        Assert.Equal(HttpStatusCode.OK, releasedAgain.StatusCode);

        // A consumer bound to the event exchange receives BindingCreated, then BindingReleased, and nothing else: the
        // repeated PUT and the second DELETE publish nothing (everything the service sent is in, see AllOnceQuietAsync).
        var events = await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, atLeast: 2);
        Assert.Equal(["BindingCreated", "BindingReleased"], events.Select(e => e.MessageType));
        var createdEvent = events[0];
        Assert.Equal(bindingId, createdEvent.Get("bindingId"));
        Assert.Equal(virtualNumber, createdEvent.Get("secretNo"));
        Assert.Equal(Mask(passenger), createdEvent.Get("partyAMasked"));
        Assert.Equal(Mask(driver), createdEvent.Get("partyBMasked"));
        Assert.Equal(protection.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.Parse(createdEvent.Get("expiresAt")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(createdEvent.Get("eventId"), createdEvent.MessageId);
        Assert.Equal(bindingId, events[1].Get("bindingId"));
        Assert.DoesNotContain(passenger, createdEvent.RawBody);
        Assert.DoesNotContain(driver, events[1].RawBody);

        // The database agrees: two outbox rows for the binding, both sent (the quiet wait above drained the outbox).
        Assert.Equal("Released", await fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE order_id = '{orderId}'"));
        Assert.Equal(2L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE aggregate_id = '{bindingId}' AND sent_at IS NOT NULL"));
    }

    [Fact]
    public async Task Protect_ForAnOrderActiveWithADifferentDriver_Returns409()
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        var passenger = TestPhones.Next();
        var first = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = passenger, driverPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var second = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = passenger, driverPhone = TestPhones.Next() });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("order.protected_with_other_parties", problem.GetProperty("code").GetString());
        Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal(["BindingCreated"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId)).Select(e => e.MessageType));
    }

    [Fact]
    public async Task TwoSimultaneousIdenticalPuts_CreateOneBinding()
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        var body = new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() };

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", body)));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, $"status {r.StatusCode}"));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Single(bodies.Select(b => b.GetProperty("bindingId").GetString()).Distinct());
        Assert.Single(bodies.Select(b => b.GetProperty("virtualNumber").GetString()).Distinct());
        Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE order_id = '{orderId}'"));
        // One event for the order, however the two PUTs raced.
        Assert.Equal(["BindingCreated"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId)).Select(e => e.MessageType));
    }

    [Fact]
    public async Task ManySimultaneousIdenticalPuts_AllReturnTheSameVirtualNumber()
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        var body = new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() };

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", body)));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, $"status {r.StatusCode}"));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Single(bodies.Select(b => b.GetProperty("virtualNumber").GetString()).Distinct());
        Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal(["BindingCreated"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId)).Select(e => e.MessageType));
    }

    [Fact]
    public async Task Protect_WhenEveryNumberInThePoolAlreadyJoinsThePassenger_Returns503NamingThePool()
    {
        var passenger = TestPhones.Next();
        for (var i = 0; i < SimulatorPool.Count; i++)
        {
            var ok = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/fill-{i}-{Guid.NewGuid():N}/protection", new { passengerPhone = passenger, driverPhone = TestPhones.Next() });
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        var orderId = $"ride-{Guid.NewGuid():N}";
        var exhausted = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = passenger, driverPhone = TestPhones.Next() });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, exhausted.StatusCode);
        Assert.NotNull(exhausted.Headers.RetryAfter);
        var problem = await exhausted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pool.exhausted", problem.GetProperty("code").GetString());
        Assert.Contains("FC100000000000001", problem.GetProperty("detail").GetString());
        Assert.Equal("Failed", await fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE order_id = '{orderId}'"));
        var failed = Assert.Single(await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId));
        Assert.Equal("BindingFailed", failed.MessageType);
        Assert.Equal("pool.exhausted", failed.Get("reason"));
    }

    [Fact]
    public async Task Get_And_Delete_ForAnUnknownOrder_Return404()
    {
        var get = await fixture.Client.GetAsync("/v1/ride-orders/never-protected/protection");
        var delete = await fixture.Client.DeleteAsync("/v1/ride-orders/never-protected/protection");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal("order.not_found", (await get.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnOrdersBinding_IsItsOpenOne_BeforeALaterEndedOne_AndElseItsLatest()
    {
        // The order lookup is one query (open first, else the latest created): an ended row created after the open
        // one must not hide it, and once nothing is open the latest row answers.
        var orderId = $"ride-{Guid.NewGuid():N}";
        var created = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection",
            new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next(), city = "北京" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var openId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString()!;
        var laterEndedId = Guid.NewGuid();
        await fixture.ScalarAsync<int>($"""
            CREATE TEMP TABLE copy_of_binding AS SELECT * FROM bindings WHERE id = '{openId}';
            UPDATE copy_of_binding SET id = '{laterEndedId}', status = 'Released', created_at = created_at + interval '1 minute',
                ended_at = now(), subs_id = 'copy-' || subs_id;
            INSERT INTO bindings SELECT * FROM copy_of_binding;
            SELECT 1;
            """);

        var open = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection");
        Assert.Equal(openId, open.GetProperty("bindingId").GetString());
        Assert.Equal("active", open.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.DeleteAsync($"/v1/ride-orders/{orderId}/protection")).StatusCode);
        var latest = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection");
        Assert.Equal(laterEndedId.ToString(), latest.GetProperty("bindingId").GetString());
    }

    private static string Mask(string number) => $"{number[..3]}****{number[^4..]}";
}
