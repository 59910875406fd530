using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>Generic bindings of every product through /v1/bindings: created at the provider, changed in place, deleted.</summary>
[Collection(ServiceCollection.Name)]
public sealed class GenericBindingTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("axb", "AXB", SimulatorHost.PoolKey)]
    [InlineData("axn", "AXN", SimulatorHost.AxnPoolKey)]
    [InlineData("axnExtension", "AXN_EXTENSION", SimulatorHost.AxnExtensionPoolKey)]
    public async Task EachProduct_CreatedThroughBindings_IsHeldByTheProviderInItsPool_AndPublishesBindingCreated(string product, string providerProduct, string pool)
    {
        var orderId = $"gen-{Guid.NewGuid():N}";
        var partyA = TestPhones.Next();
        var partyB = TestPhones.Next();

        var response = await fixture.Client.PostAsJsonAsync("/v1/bindings", new { product, orderId, partyA, partyB, recording = true });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var binding = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = binding.GetProperty("bindingId").GetString()!;
        Assert.Equal($"/v1/bindings/{Guid.Parse(id):N}", response.Headers.Location?.OriginalString);
        Assert.Equal(product, binding.GetProperty("product").GetString());
        Assert.Equal("active", binding.GetProperty("status").GetString());
        Assert.Equal(pool, binding.GetProperty("poolKey").GetString());
        Assert.Equal(Mask(partyA), binding.GetProperty("partyA").GetString());
        Assert.Equal(Mask(partyB), binding.GetProperty("partyB").GetString());
        Assert.True(binding.GetProperty("recording").GetBoolean());
        Assert.DoesNotContain(partyA, await response.Content.ReadAsStringAsync());

        var atProvider = Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal(providerProduct, atProvider.GetProperty("product").GetString());
        Assert.Equal(pool, atProvider.GetProperty("poolKey").GetString());
        Assert.Equal(partyA, atProvider.GetProperty("phoneNoA").GetString());
        Assert.Equal(partyB, atProvider.GetProperty("phoneNoB").GetString());
        Assert.Equal(binding.GetProperty("virtualNumber").GetString(), atProvider.GetProperty("secretNo").GetString());
        Assert.Equal(Guid.Parse(id).ToString("N"), atProvider.GetProperty("outId").GetString());
        Assert.Equal(orderId, atProvider.GetProperty("outOrderId").GetString());
        Assert.True(atProvider.GetProperty("needRecord").GetBoolean());
        if (product == "axnExtension")
        {
            // The provider allocated the extension; we show what it allocated.
            Assert.False(string.IsNullOrEmpty(binding.GetProperty("extension").GetString()));
            Assert.Equal(atProvider.GetProperty("extension").GetString(), binding.GetProperty("extension").GetString());
        }

        var read = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/bindings/{id}");
        Assert.Equal(binding.GetRawText(), read.GetRawText());

        var created = Assert.Single(await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId));
        Assert.Equal("BindingCreated", created.MessageType);
        Assert.Equal("generic", created.Get("businessLine"));
        Assert.Equal(product, created.Get("product"));
        Assert.DoesNotContain(partyA, created.RawBody);
    }

    [Fact]
    public async Task Create_RepeatedWithTheSameBody_Returns200WithTheSameBinding_AndOtherParties409_Invariant2()
    {
        var orderId = $"gen-{Guid.NewGuid():N}";
        var body = new { product = "axn", orderId, partyA = TestPhones.Next() };

        var first = await fixture.Client.PostAsJsonAsync("/v1/bindings", body);
        var again = await fixture.Client.PostAsJsonAsync("/v1/bindings", body);
        var other = await fixture.Client.PostAsJsonAsync("/v1/bindings", new { product = "axn", orderId, partyA = TestPhones.Next() });
        var otherProduct = await fixture.Client.PostAsJsonAsync("/v1/bindings", new { product = "axb", orderId, body.partyA, partyB = TestPhones.Next() });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(
            (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("order.protected_with_other_parties", (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, otherProduct.StatusCode);
        Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE order_id = '{orderId}' AND business_line = 'Generic'"));
        Assert.Equal(["BindingCreated"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId)).Select(e => e.MessageType));
    }

    [Fact]
    public async Task Patch_AppliesEachChangeAtTheProvider_WithOneBindingUpdatedPerChange_AndARepeatChangesNothing()
    {
        var orderId = $"gen-{Guid.NewGuid():N}";
        var partyA = TestPhones.Next();
        var created = await fixture.Client.PostAsJsonAsync("/v1/bindings", new { product = "axb", orderId, partyA, partyB = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString();
        var newB = TestPhones.Next();
        var expiresAt = DateTimeOffset.UtcNow.AddHours(5);
        expiresAt = new DateTimeOffset(expiresAt.Ticks - (expiresAt.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var patch = new { partyB = newB, expiresAt, recording = true, callRestriction = "partyACannotCall" };

        var patched = await fixture.Client.PatchAsJsonAsync($"/v1/bindings/{id}", patch);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var view = await patched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Mask(newB), view.GetProperty("partyB").GetString());
        Assert.Equal(expiresAt, view.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.True(view.GetProperty("recording").GetBoolean());
        Assert.Equal("partyACannotCall", view.GetProperty("callRestriction").GetString());

        var atProvider = Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal(newB, atProvider.GetProperty("phoneNoB").GetString());
        Assert.Equal(expiresAt, atProvider.GetProperty("expiration").GetDateTimeOffset());
        Assert.True(atProvider.GetProperty("needRecord").GetBoolean());
        Assert.Equal("CONTROL_AX_DISABLE", atProvider.GetProperty("callRestrict").GetString());

        var updates = await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId && e.MessageType == "BindingUpdated", atLeast: 4);
        Assert.Equal(["partyB", "expiresAt", "recording", "callRestriction"], updates.Select(e => string.Join(",", Changes(e))));
        Assert.All(updates, e => Assert.DoesNotContain(newB, e.RawBody));

        // The same change again: 200, nothing new at the provider or in the events (everything the service sent is in).
        var repeated = await fixture.Client.PatchAsJsonAsync($"/v1/bindings/{id}", patch);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(
            ["BindingCreated", "BindingUpdated", "BindingUpdated", "BindingUpdated", "BindingUpdated"],
            (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, atLeast: 5)).Select(e => e.MessageType));
        Assert.Equal(5L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages o JOIN bindings b ON b.id = o.aggregate_id WHERE b.order_id = '{orderId}'"));
    }

    [Fact]
    public async Task Delete_UnbindsAtTheProvider_PublishesBindingReleased_IsIdempotent_AndThenRefusesChanges()
    {
        var orderId = $"gen-{Guid.NewGuid():N}";
        var created = await fixture.Client.PostAsJsonAsync("/v1/bindings", new { product = "axnExtension", orderId, partyA = TestPhones.Next() });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString();
        Assert.Single(await fixture.Simulator.BindingsAsync());

        var deleted = await fixture.Client.DeleteAsync($"/v1/bindings/{id}");
        var deletedAgain = await fixture.Client.DeleteAsync($"/v1/bindings/{id}");
        var patch = await fixture.Client.PatchAsJsonAsync($"/v1/bindings/{id}", new { recording = true });

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("released", (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, deletedAgain.StatusCode);
        Assert.Empty(await fixture.Simulator.BindingsAsync());
        Assert.Equal(HttpStatusCode.Conflict, patch.StatusCode);
        Assert.Equal("binding.not_active", (await patch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var events = await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, atLeast: 2);
        Assert.Equal(["BindingCreated", "BindingReleased"], events.Select(e => e.MessageType));

        // The order can be bound afresh once its binding has ended.
        var rebound = await fixture.Client.PostAsJsonAsync("/v1/bindings", new { product = "axnExtension", orderId, partyA = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, rebound.StatusCode);
    }

    [Fact]
    public async Task InvalidRequests_Are400NamingTheFields_AndUnknownIds404()
    {
        var orderId = $"gen-{Guid.NewGuid():N}";
        var cases = new (object Body, string Field)[]
        {
            (new { orderId, partyA = TestPhones.Next() }, "product"),
            (new { product = "axz", orderId, partyA = TestPhones.Next() }, "product"),
            (new { product = "axb", orderId, partyA = TestPhones.Next() }, "partyB"),
            (new { product = "axg", orderId, partyA = TestPhones.Next() }, "groupId"),
            (new { product = "axb", orderId, partyA = TestPhones.Next(), partyB = TestPhones.Next(), extension = "12" }, "extension"),
            (new { product = "axnExtension", orderId, partyA = TestPhones.Next(), extension = "1234" }, "extension"),
            (new { product = "axn", orderId, partyA = "12345" }, "partyA"),
            (new { product = "axn", orderId, partyA = TestPhones.Next(), callRestriction = "nobody" }, "callRestriction"),
            (new { product = "axn", orderId, partyA = TestPhones.Next(), expiresAt = DateTimeOffset.UtcNow.AddSeconds(30) }, "expiresAt"),
        };

        foreach (var (body, field) in cases)
        {
            var response = await fixture.Client.PostAsJsonAsync("/v1/bindings", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error on {field}: {problem}");
        }

        Assert.Empty(await fixture.Simulator.BindingsAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/v1/bindings/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.DeleteAsync("/v1/bindings/not-an-id")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.PatchAsJsonAsync($"/v1/bindings/{Guid.NewGuid()}", new { recording = true })).StatusCode);
    }

    [Fact]
    public async Task ARideBinding_IsNotVisibleThroughTheGenericApi()
    {
        var ride = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() });
        var rideId = (await ride.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString();

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/v1/bindings/{rideId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.DeleteAsync($"/v1/bindings/{rideId}")).StatusCode);
        Assert.Single(await fixture.Simulator.BindingsAsync());
    }

    [Fact]
    public async Task OpenApi_DescribesEveryGenericEndpoint_WithExamples()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        var operations = new (string Path, string Method, bool HasBody)[]
        {
            ("/v1/bindings", "post", true), ("/v1/bindings/{bindingId}", "get", false), ("/v1/bindings/{bindingId}", "patch", true),
            ("/v1/bindings/{bindingId}", "delete", false), ("/v1/groups", "post", true), ("/v1/groups/{groupId}", "get", false),
            ("/v1/groups/{groupId}/members", "put", true), ("/v1/groups/{groupId}/members", "post", true), ("/v1/groups/{groupId}/members", "delete", true),
        };
        foreach (var (path, method, hasBody) in operations)
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()), $"{method} {path} summary");
            var success = operation.GetProperty("responses").EnumerateObject().First(r => r.Name.StartsWith('2'));
            Assert.True(success.Value.GetProperty("content").EnumerateObject().First().Value.TryGetProperty("example", out _), $"{method} {path} response example");
            if (hasBody)
            {
                Assert.True(operation.GetProperty("requestBody").GetProperty("content").EnumerateObject().First().Value.TryGetProperty("example", out _), $"{method} {path} request example");
            }
        }

        Assert.Contains(
            paths.GetProperty("/v1/bindings").GetProperty("post").GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
    }

    internal static IEnumerable<string> Changes(ReceivedEvent e) => e.Message.GetProperty("changes").EnumerateArray().Select(c => c.GetString()!);

    internal static string Mask(string number) => $"{number[..3]}****{number[^4..]}";
}
