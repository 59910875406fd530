using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// A ride order's whole life through the real service, database, broker and simulator: protect → reassign the
/// driver → extend → recording → call restriction → complete with a grace period → expiry; refused changes of
/// ended protections; concurrent protects over two service instances.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class RideLifecycleTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync() => await fixture.Simulator.Control.DeleteAsync("_sim/faults");

    [Fact]
    public async Task Ride_Protect_Reassign_Extend_Record_Restrict_Complete_ThenExpire_KeepsProviderAndEventsInStep()
    {
        var clock = new OffsetTimeProvider();
        await using var instance = fixture.SecondInstance(clock);
        using var client = instance.CreateClient();
        var orderId = $"ride-{Guid.NewGuid():N}";
        var url = $"/v1/ride-orders/{orderId}/protection";
        var passenger = TestPhones.Next();
        var driver = TestPhones.Next();
        var newDriver = TestPhones.Next();

        // Protect.
        var created = await client.PutAsJsonAsync(url, new { passengerPhone = passenger, driverPhone = driver });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var protection = await created.Content.ReadFromJsonAsync<JsonElement>();
        var bindingId = protection.GetProperty("bindingId").GetString()!;
        var x = protection.GetProperty("virtualNumber").GetString()!;
        Assert.False(protection.GetProperty("recordingEnabled").GetBoolean());
        Assert.Equal("none", protection.GetProperty("callRestriction").GetString());
        Assert.Equal(JsonValueKind.Null, protection.GetProperty("completedAt").ValueKind);

        // Reassign the driver (updateNoB): same X, new B at the provider; a repeat is 200 with the same state.
        var reassigned = await OkAsync(client.PutAsJsonAsync($"{url}/driver", new { driverPhone = newDriver }));
        Assert.Equal(Mask(newDriver), reassigned.GetProperty("driverPhone").GetString());
        Assert.Equal(x, reassigned.GetProperty("virtualNumber").GetString());
        var atProvider = await ProviderBindingAsync(x);
        Assert.Equal(newDriver, atProvider.GetProperty("phoneNoB").GetString());
        Assert.Equal(passenger, atProvider.GetProperty("phoneNoA").GetString());
        var repeated = await OkAsync(client.PutAsJsonAsync($"{url}/driver", new { driverPhone = newDriver }));
        Assert.Equal(reassigned.GetProperty("updatedAt").GetDateTimeOffset(), repeated.GetProperty("updatedAt").GetDateTimeOffset());

        // Extend (updateExpire): kept to the second, the same instant at the provider.
        var extendTo = DateTimeOffset.UtcNow.AddHours(3).AddMilliseconds(456);
        var extended = await OkAsync(client.PutAsJsonAsync($"{url}/expiry", new { expiresAt = extendTo }));
        var expectedExpiry = ToTheSecond(extendTo);
        Assert.Equal(expectedExpiry, extended.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(expectedExpiry, (await ProviderBindingAsync(x)).GetProperty("expiration").GetDateTimeOffset());

        // Recording on (updateIsRecordingEnabled), then a one-way restriction set and cleared (updateCallRestrict).
        var recording = await OkAsync(client.PutAsJsonAsync($"{url}/recording", new { enabled = true }));
        Assert.True(recording.GetProperty("recordingEnabled").GetBoolean());
        Assert.True((await ProviderBindingAsync(x)).GetProperty("needRecord").GetBoolean());

        var restricted = await OkAsync(client.PutAsJsonAsync($"{url}/call-restriction", new { restriction = "driverCannotCall" }));
        Assert.Equal("driverCannotCall", restricted.GetProperty("callRestriction").GetString());
        Assert.Equal("CONTROL_BX_DISABLE", (await ProviderBindingAsync(x)).GetProperty("callRestrict").GetString());
        var cleared = await OkAsync(client.PutAsJsonAsync($"{url}/call-restriction", new { restriction = "none" }));
        Assert.Equal("none", cleared.GetProperty("callRestriction").GetString());
        Assert.Equal(JsonValueKind.Null, (await ProviderBindingAsync(x)).GetProperty("callRestrict").ValueKind);

        // Complete with a 2-minute grace: the provider's expiry moves to now + grace; completing again changes nothing.
        var before = DateTimeOffset.UtcNow;
        var completed = await OkAsync(client.PostAsJsonAsync($"{url}/complete", new { grace = "00:02:00" }));
        var graceUntil = completed.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal("active", completed.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, completed.GetProperty("completedAt").ValueKind);
        Assert.InRange(graceUntil, ToTheSecond(before.AddMinutes(2)), DateTimeOffset.UtcNow.AddMinutes(2));
        Assert.Equal(graceUntil, (await ProviderBindingAsync(x)).GetProperty("expiration").GetDateTimeOffset());
        var completedAgain = await OkAsync(client.PostAsJsonAsync($"{url}/complete", new { grace = "01:00:00" }));
        Assert.Equal(completed.GetProperty("completedAt").GetDateTimeOffset(), completedAgain.GetProperty("completedAt").GetDateTimeOffset());
        Assert.Equal(graceUntil, completedAgain.GetProperty("expiresAt").GetDateTimeOffset());

        // The grace runs out (the service's clock moves 3 minutes on): a read ends the binding.
        clock.Advance(TimeSpan.FromMinutes(3));
        var expired = await OkAsync(client.GetAsync(url));
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, expired.GetProperty("endedAt").ValueKind);

        // An ended protection can no longer change.
        var tooLate = await client.PutAsJsonAsync($"{url}/driver", new { driverPhone = driver });
        await AssertProblemAsync(tooLate, HttpStatusCode.Conflict, "order.protection_ended");

        // Consumers received: created, one update per change with what changed, then expired — in version order, and
        // nothing else (the repeats and the refused change publish nothing; everything the service sent is in).
        var events = await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, atLeast: 8);
        var ordered = events.OrderBy(e => e.Message.GetProperty("bindingVersion").GetInt32()).ToList();
        Assert.Equal(8, ordered.Count);
        Assert.Equal(
            ["BindingCreated", "BindingUpdated", "BindingUpdated", "BindingUpdated", "BindingUpdated", "BindingUpdated", "BindingUpdated", "BindingExpired"],
            ordered.Select(e => e.MessageType));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], ordered.Select(e => e.Message.GetProperty("bindingVersion").GetInt32()));
        Assert.Equal(
            ["partyB", "expiresAt", "recording", "callRestriction", "callRestriction", "completed,expiresAt"],
            ordered.Where(e => e.MessageType == "BindingUpdated").Select(e => string.Join(',', e.Message.GetProperty("changes").EnumerateArray().Select(c => c.GetString()))));
        var updates = ordered.Where(e => e.MessageType == "BindingUpdated").ToList();
        Assert.Equal(Mask(newDriver), updates[0].Get("partyBMasked"));
        Assert.Equal(expectedExpiry, updates[1].Message.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("partyBCannotCall", updates[3].Get("callRestriction"));
        Assert.Equal(graceUntil, updates[5].Message.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(graceUntil, ordered[^1].Message.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.All(ordered, e => Assert.Equal(bindingId, e.Get("bindingId")));
        Assert.All(ordered, e => Assert.DoesNotContain(newDriver, e.RawBody));
        Assert.All(ordered, e => Assert.DoesNotContain(passenger, e.RawBody));
        Assert.Equal("Expired", await fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE order_id = '{orderId}'"));
    }

    [Fact]
    public async Task Change_OfABindingPastItsExpiry_EndsIt_AndIsRefusedWith409()
    {
        var clock = new OffsetTimeProvider();
        await using var instance = fixture.SecondInstance(clock);
        using var client = instance.CreateClient();
        var orderId = $"ride-{Guid.NewGuid():N}";
        var url = $"/v1/ride-orders/{orderId}/protection";
        var created = await client.PutAsJsonAsync(url, new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next(), expiresAt = DateTimeOffset.UtcNow.AddMinutes(2).AddSeconds(20) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        clock.Advance(TimeSpan.FromMinutes(3));
        var refused = await client.PutAsJsonAsync($"{url}/recording", new { enabled = true });

        await AssertProblemAsync(refused, HttpStatusCode.Conflict, "order.protection_ended");
        Assert.False((await fixture.Simulator.BindingsAsync()).Single().GetProperty("needRecord").GetBoolean());
        var events = await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, atLeast: 2);
        Assert.Equal(["BindingCreated", "BindingExpired"], events.Select(e => e.MessageType));
    }

    [Fact]
    public async Task Changes_OfAReleasedOrder_AreRefusedWith409_AndReachNeitherProviderNorEvents()
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        var url = $"/v1/ride-orders/{orderId}/protection";
        var driver = TestPhones.Next();
        Assert.Equal(HttpStatusCode.Created, (await fixture.Client.PutAsJsonAsync(url, new { passengerPhone = TestPhones.Next(), driverPhone = driver })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.DeleteAsync(url)).StatusCode);

        var changes = new (string Path, object Body)[]
        {
            ("driver", new { driverPhone = TestPhones.Next() }),
            ("expiry", new { expiresAt = DateTimeOffset.UtcNow.AddHours(4) }),
            ("recording", new { enabled = true }),
            ("call-restriction", new { restriction = "passengerCannotCall" }),
        };
        foreach (var (path, body) in changes)
        {
            await AssertProblemAsync(await fixture.Client.PutAsJsonAsync($"{url}/{path}", body), HttpStatusCode.Conflict, "order.protection_ended");
        }

        await AssertProblemAsync(await fixture.Client.PostAsync($"{url}/complete", null), HttpStatusCode.Conflict, "order.protection_ended");

        Assert.Equal(["BindingCreated", "BindingReleased"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, atLeast: 2)).Select(e => e.MessageType));
        Assert.Equal(2L, await fixture.ScalarAsync<long>($"SELECT version FROM bindings WHERE order_id = '{orderId}'"));
    }

    [Fact]
    public async Task Changes_OfAnUnknownOrder_Return404()
    {
        var url = $"/v1/ride-orders/never-{Guid.NewGuid():N}/protection";

        await AssertProblemAsync(await fixture.Client.PutAsJsonAsync($"{url}/driver", new { driverPhone = TestPhones.Next() }), HttpStatusCode.NotFound, "order.not_found");
        await AssertProblemAsync(await fixture.Client.PutAsJsonAsync($"{url}/expiry", new { expiresAt = DateTimeOffset.UtcNow.AddHours(4) }), HttpStatusCode.NotFound, "order.not_found");
        await AssertProblemAsync(await fixture.Client.PutAsJsonAsync($"{url}/recording", new { enabled = false }), HttpStatusCode.NotFound, "order.not_found");
        await AssertProblemAsync(await fixture.Client.PutAsJsonAsync($"{url}/call-restriction", new { restriction = "none" }), HttpStatusCode.NotFound, "order.not_found");
        await AssertProblemAsync(await fixture.Client.PostAsync($"{url}/complete", null), HttpStatusCode.NotFound, "order.not_found");
    }

    public static TheoryData<string, string, string> InvalidChanges() => new()
    {
        { "driver", """{"driverPhone":"12345"}""", "driverPhone" },
        { "driver", """{}""", "driverPhone" },
        { "expiry", """{"expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt" },
        { "expiry", """{"expiresAt":"2999-01-01T00:00:00Z"}""", "expiresAt" },
        { "expiry", """{}""", "expiresAt" },
        { "recording", """{}""", "enabled" },
        { "call-restriction", """{"restriction":"CONTROL_AX_DISABLE"}""", "restriction" },
        { "complete", """{"grace":"00:00:30"}""", "grace" },
        { "complete", """{"grace":"30.00:00:00"}""", "grace" },
    };

    [Theory]
    [MemberData(nameof(InvalidChanges))]
    public async Task Change_WithAnInvalidField_Returns400NamingIt_AndChangesNothing(string path, string json, string field)
    {
        var (url, x) = await ProtectAsync();
        var method = path == "complete" ? HttpMethod.Post : HttpMethod.Put;

        using var request = new HttpRequestMessage(method, $"{url}/{path}") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT version FROM bindings WHERE order_id = '{OrderOf(url)}'"));
        var atProvider = await ProviderBindingAsync(x);
        Assert.False(atProvider.GetProperty("needRecord").GetBoolean());
        Assert.Equal(JsonValueKind.Null, atProvider.GetProperty("callRestrict").ValueKind);
    }

    [Fact]
    public async Task Reassign_ToThePassengersNumber_Returns400()
    {
        var passenger = TestPhones.Next();
        var (url, _) = await ProtectAsync(passenger);

        var response = await fixture.Client.PutAsJsonAsync($"{url}/driver", new { driverPhone = passenger });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("driverPhone", out _));
    }

    [Fact]
    public async Task Change_WhileTheProviderIsUnavailable_Returns503WithRetryAfter_AndRecordsNothing()
    {
        var (url, x) = await ProtectAsync();
        var orderId = OrderOf(url);
        using (var faults = await fixture.Simulator.Control.PutAsJsonAsync("_sim/faults", new { faults = new { actions = new[] { "UpdateSubscription" }, errorRates = new Dictionary<string, double> { ["isp.SYSTEM_ERROR"] = 1.0 } } }))
        {
            faults.EnsureSuccessStatusCode();
        }

        var response = await fixture.Client.PutAsJsonAsync($"{url}/recording", new { enabled = true });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.False((await ReadAsync(url)).GetProperty("recordingEnabled").GetBoolean());
        Assert.False((await ProviderBindingAsync(x)).GetProperty("needRecord").GetBoolean());
        Assert.Equal(["BindingCreated"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId)).Select(e => e.MessageType));
    }

    [Fact]
    public async Task FiftyConcurrentIdenticalProtects_OverTwoServiceInstances_CreateOneProviderBinding_AndAllReturnTheSameX()
    {
        await using var second = fixture.SecondInstance();
        using var secondClient = second.CreateClient();
        var orderId = $"ride-{Guid.NewGuid():N}";
        var body = new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() };
        _ = await secondClient.GetAsync("/health/live"); // the second instance is up before the race starts

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            (i % 2 == 0 ? fixture.Client : secondClient).PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", body)));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, $"status {r.StatusCode}"));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Single(bodies.Select(b => b.GetProperty("virtualNumber").GetString()).Distinct());
        Assert.Single(bodies.Select(b => b.GetProperty("bindingId").GetString()).Distinct());
        Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE order_id = '{orderId}'"));
        Assert.Equal(["BindingCreated"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId)).Select(e => e.MessageType));
    }

    [Fact]
    public async Task OpenApi_DescribesEveryRideEndpoint_WithSummaryDescriptionAndExamples()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/v1/ride-orders/", StringComparison.Ordinal))
            .Where(p => !p.Name.Contains("/protection/calls", StringComparison.Ordinal)) // the call log: Receipts/CallLogOpenApiTests.cs
            .SelectMany(p => p.Value.EnumerateObject().Select(o => o.Value))
            .ToDictionary(o => o.GetProperty("operationId").GetString()!);

        string[] withBody = ["ProtectRideOrder", "ReassignRideDriver", "ChangeRideExpiry", "SetRideRecording", "SetRideCallRestriction", "CompleteRide"];
        string[] all = [.. withBody, "GetRideOrderProtection", "ReleaseRideOrderProtection"];
        Assert.Equal(all.Order(), operations.Keys.Order());
        foreach (var id in all)
        {
            var operation = operations[id];
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), id);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()), id);
            var ok = operation.GetProperty("responses").EnumerateObject().First(r => r.Name is "200" or "201").Value;
            var okExample = ok.GetProperty("content").GetProperty("application/json").GetProperty("example");
            Assert.Equal("138****8000", okExample.GetProperty("passengerPhone").GetString());
            Assert.True(okExample.TryGetProperty("callRestriction", out _), id);
            foreach (var problem in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                Assert.True(problem.Value.GetProperty("content").EnumerateObject().First().Value.TryGetProperty("example", out _), $"{id} {problem.Name}");
            }

            if (withBody.Contains(id))
            {
                Assert.True(operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _), id);
            }
        }
    }

    private async Task<(string Url, string X)> ProtectAsync(string? passenger = null)
    {
        var url = $"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection";
        var created = await fixture.Client.PutAsJsonAsync(url, new { passengerPhone = passenger ?? TestPhones.Next(), driverPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (url, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("virtualNumber").GetString()!);
    }

    private static string OrderOf(string url) => url.Split('/')[3];

    private async Task<JsonElement> ReadAsync(string url) => await fixture.Client.GetFromJsonAsync<JsonElement>(url);

    private async Task<JsonElement> ProviderBindingAsync(string secretNo) =>
        Assert.Single(await fixture.Simulator.BindingsAsync(), b => b.GetProperty("secretNo").GetString() == secretNo && b.GetProperty("status").GetInt32() == 1);

    private static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    private static DateTimeOffset ToTheSecond(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static string Mask(string number) => $"{number[..3]}****{number[^4..]}";
}
