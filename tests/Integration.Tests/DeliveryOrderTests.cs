using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// Delivery orders through the real service, database, broker and simulator: the customer (A) behind X plus an
/// extension printed on the waybill, the courier as B; tracking numbers (AddAxnTrackNo / QueryPhoneNoAByTrackNo);
/// courier changes (updateNoB); cancellation; and the AXB variant.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class DeliveryOrderTests(ServiceFixture fixture) : IAsyncLifetime
{
    private static readonly HashSet<string> AxnExtensionPool = Enumerable.Range(1, 5).Select(i => $"172000000{i:D2}").ToHashSet();
    private static readonly HashSet<string> AxbPool = Enumerable.Range(1, 20).Select(i => $"170000000{i:D2}").ToHashSet();

    private readonly List<string> _responseBodies = [];

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Delivery_ProtectTrackLookupChangeCourierCancel_WorksEndToEnd_WithOneEventPerChange_AndNoNumberInClear()
    {
        var orderId = $"dlv-{Guid.NewGuid():N}";
        var customer = TestPhones.Next();
        var courier = TestPhones.Next();
        var newCourier = TestPhones.Next();
        var trackingNumber = $"YT{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}";

        // Protect: 201, AXN extension in the delivery pool, X + extension to print on the waybill.
        var created = await PutAsync($"/v1/delivery-orders/{orderId}/protection", new { customerPhone = customer, courierPhone = courier, city = "北京" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal($"/v1/delivery-orders/{orderId}/protection", created.Location);
        var protection = created.Body;
        var bindingId = protection.GetProperty("bindingId").GetString()!;
        var virtualNumber = protection.GetProperty("virtualNumber").GetString()!;
        var extension = protection.GetProperty("extension").GetString()!;
        Assert.Contains(virtualNumber, AxnExtensionPool);
        Assert.Matches("^[0-9]{1,3}$", extension);
        Assert.Equal($"{virtualNumber},{extension}", protection.GetProperty("dialString").GetString());
        Assert.Equal("axnExtension", protection.GetProperty("product").GetString());
        Assert.Equal("active", protection.GetProperty("status").GetString());
        Assert.Equal(Mask(customer), protection.GetProperty("customerPhone").GetString());
        Assert.Equal(Mask(courier), protection.GetProperty("courierPhone").GetString());
        Assert.Equal(JsonValueKind.Null, protection.GetProperty("trackingNumber").ValueKind);

        // The provider holds one AXN_EXTENSION binding: A the customer, default B the courier, our extension and ids.
        var atProvider = Assert.Single(await fixture.Simulator.BindingsAsync());
        var subsId = atProvider.GetProperty("subsId").GetString()!;
        Assert.Equal("AXN_EXTENSION", atProvider.GetProperty("product").GetString());
        Assert.Equal("FC100000000000003", atProvider.GetProperty("poolKey").GetString());
        Assert.Equal(customer, atProvider.GetProperty("phoneNoA").GetString());
        Assert.Equal(courier, atProvider.GetProperty("phoneNoB").GetString());
        Assert.Equal(virtualNumber, atProvider.GetProperty("secretNo").GetString());
        Assert.Equal(extension, atProvider.GetProperty("extension").GetString());
        Assert.Equal(Guid.Parse(bindingId).ToString("N"), atProvider.GetProperty("outId").GetString());
        Assert.Equal(orderId, atProvider.GetProperty("outOrderId").GetString());
        Assert.Empty(atProvider.GetProperty("trackNos").EnumerateArray());

        // Attach the tracking number (AddAxnTrackNo): 200, the provider's binding carries it; repeating changes nothing.
        var tracked = await PutAsync($"/v1/delivery-orders/{orderId}/protection/tracking-number", new { trackingNumber });
        Assert.Equal(HttpStatusCode.OK, tracked.Status);
        Assert.Equal(trackingNumber, tracked.Body.GetProperty("trackingNumber").GetString());
        Assert.Equal([trackingNumber], (await ProviderBindingAsync(subsId)).GetProperty("trackNos").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await PutAsync($"/v1/delivery-orders/{orderId}/protection/tracking-number", new { trackingNumber })).Status);

        // Look the delivery up by its tracking number: our order, X and extension, the customer masked.
        var lookup = await GetAsync($"/v1/delivery-orders/by-tracking-number/{trackingNumber}");
        Assert.Equal(HttpStatusCode.OK, lookup.Status);
        Assert.Equal(orderId, lookup.Body.GetProperty("orderId").GetString());
        Assert.Equal(bindingId, lookup.Body.GetProperty("bindingId").GetString());
        Assert.Equal(virtualNumber, lookup.Body.GetProperty("virtualNumber").GetString());
        Assert.Equal(extension, lookup.Body.GetProperty("extension").GetString());
        Assert.Equal($"{virtualNumber},{extension}", lookup.Body.GetProperty("dialString").GetString());
        Assert.Equal(Mask(customer), lookup.Body.GetProperty("customerPhone").GetString());

        // Change the courier (updateNoB): B at the provider is the new courier; repeating it changes nothing.
        var changed = await PutAsync($"/v1/delivery-orders/{orderId}/protection/courier", new { courierPhone = newCourier });
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal(Mask(newCourier), changed.Body.GetProperty("courierPhone").GetString());
        Assert.Equal(virtualNumber, changed.Body.GetProperty("virtualNumber").GetString());
        Assert.Equal(extension, changed.Body.GetProperty("extension").GetString());
        Assert.Equal(newCourier, (await ProviderBindingAsync(subsId)).GetProperty("phoneNoB").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PutAsync($"/v1/delivery-orders/{orderId}/protection/courier", new { courierPhone = newCourier })).Status);

        var read = await GetAsync($"/v1/delivery-orders/{orderId}/protection");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(Mask(newCourier), read.Body.GetProperty("courierPhone").GetString());
        Assert.Equal(trackingNumber, read.Body.GetProperty("trackingNumber").GetString());

        // Cancel: unbound at the provider, released here, idempotent; the tracking number no longer finds it.
        var cancelled = await SendAsync(HttpMethod.Delete, $"/v1/delivery-orders/{orderId}/protection");
        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        Assert.Equal("released", cancelled.Body.GetProperty("status").GetString());
        Assert.DoesNotContain(await fixture.Simulator.BindingsAsync(), b => b.GetProperty("subsId").GetString() == subsId && IsInEffect(b));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, $"/v1/delivery-orders/{orderId}/protection")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"/v1/delivery-orders/by-tracking-number/{trackingNumber}")).Status);

        // Invariant 4: one event per change, in order — created (with the extension), updated ×2, released — and
        // nothing for the repeats (everything the service sent is in).
        var events = await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, atLeast: 4);
        Assert.Equal(["BindingCreated", "BindingUpdated", "BindingUpdated", "BindingReleased"], events.Select(e => e.MessageType));
        Assert.All(events, e => Assert.Equal(bindingId, e.Get("bindingId")));
        Assert.All(events, e => Assert.Equal("delivery", e.Get("businessLine")));
        Assert.Equal("axnExtension", events[0].Get("product"));
        Assert.Equal(extension, events[0].Get("extension"));
        Assert.Equal(virtualNumber, events[0].Get("secretNo"));
        Assert.Equal(Mask(customer), events[0].Get("partyAMasked"));
        Assert.Equal(Mask(courier), events[0].Get("partyBMasked"));
        Assert.Equal(["trackingNumber"], Changes(events[1]));
        Assert.Equal(trackingNumber, events[1].Get("trackingNumber"));
        Assert.Equal(["partyB"], Changes(events[2]));
        Assert.Equal(Mask(newCourier), events[2].Get("partyBMasked"));
        Assert.Equal("cancelled", events[3].Get("reason"));
        Assert.Equal("Released", await fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE order_id = '{orderId}'"));

        // Invariant 5: no customer or courier number in clear in any response or event.
        AssertNoNumberInClear([customer, courier, newCourier], _responseBodies.Concat(events.Select(e => e.RawBody)));
    }

    [Fact]
    public async Task Delivery_WithProductAxb_BindsCustomerAndCourierInTheAxbPool_AndRefusesATrackingNumberWith422()
    {
        var orderId = $"dlv-{Guid.NewGuid():N}";
        var customer = TestPhones.Next();
        var courier = TestPhones.Next();
        var newCourier = TestPhones.Next();

        var created = await PutAsync($"/v1/delivery-orders/{orderId}/protection", new { customerPhone = customer, courierPhone = courier, product = "axb" });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var virtualNumber = created.Body.GetProperty("virtualNumber").GetString()!;
        Assert.Contains(virtualNumber, AxbPool);
        Assert.Equal("axb", created.Body.GetProperty("product").GetString());
        Assert.Equal(JsonValueKind.Null, created.Body.GetProperty("extension").ValueKind);
        Assert.Equal(virtualNumber, created.Body.GetProperty("dialString").GetString());
        var atProvider = Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal("AXB", atProvider.GetProperty("product").GetString());
        Assert.Equal("FC100000000000001", atProvider.GetProperty("poolKey").GetString());
        Assert.Equal(customer, atProvider.GetProperty("phoneNoA").GetString());
        Assert.Equal(courier, atProvider.GetProperty("phoneNoB").GetString());

        // AddAxnTrackNo only exists for AXN bindings: refused on its merits (422), nothing sent to the provider.
        var tracked = await PutAsync($"/v1/delivery-orders/{orderId}/protection/tracking-number", new { trackingNumber = "SF1000000001" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tracked.Status);
        Assert.Equal("delivery.tracking_number_not_supported", tracked.Body.GetProperty("code").GetString());
        Assert.Empty((await ProviderBindingAsync(atProvider.GetProperty("subsId").GetString()!)).GetProperty("trackNos").EnumerateArray());

        // The courier can still change (updateNoB on AXB).
        var changed = await PutAsync($"/v1/delivery-orders/{orderId}/protection/courier", new { courierPhone = newCourier });
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal(newCourier, (await ProviderBindingAsync(atProvider.GetProperty("subsId").GetString()!)).GetProperty("phoneNoB").GetString());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, $"/v1/delivery-orders/{orderId}/protection")).Status);
        var events = await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, atLeast: 3);
        Assert.Equal(["BindingCreated", "BindingUpdated", "BindingReleased"], events.Select(e => e.MessageType));
        Assert.Equal("axb", events[0].Get("product"));
        Assert.Equal(["partyB"], Changes(events[1]));
        AssertNoNumberInClear([customer, courier, newCourier], _responseBodies.Concat(events.Select(e => e.RawBody)));
    }

    [Fact]
    public async Task Protect_Repeated_IsIdempotent_ButOtherPartiesOrAnotherProductGet409()
    {
        var orderId = $"dlv-{Guid.NewGuid():N}";
        var customer = TestPhones.Next();
        var courier = TestPhones.Next();
        var body = new { customerPhone = customer, courierPhone = courier };

        var first = await PutAsync($"/v1/delivery-orders/{orderId}/protection", body);
        var again = await PutAsync($"/v1/delivery-orders/{orderId}/protection", body);
        var otherCourier = await PutAsync($"/v1/delivery-orders/{orderId}/protection", new { customerPhone = customer, courierPhone = TestPhones.Next() });
        var otherProduct = await PutAsync($"/v1/delivery-orders/{orderId}/protection", new { customerPhone = customer, courierPhone = courier, product = "axb" });

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Body.GetProperty("bindingId").GetString(), again.Body.GetProperty("bindingId").GetString());
        Assert.Equal(first.Body.GetProperty("dialString").GetString(), again.Body.GetProperty("dialString").GetString());
        Assert.Equal(HttpStatusCode.Conflict, otherCourier.Status);
        Assert.Equal("order.protected_with_other_parties", otherCourier.Body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, otherProduct.Status);
        Assert.Single(await fixture.Simulator.BindingsAsync());
        // The repeat and the refused protects publish nothing.
        Assert.Equal(["BindingCreated"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId)).Select(e => e.MessageType));
    }

    [Fact]
    public async Task TwoDeliveries_OnTheSameVirtualNumber_GetDistinctExtensions()
    {
        var a = await PutAsync($"/v1/delivery-orders/dlv-{Guid.NewGuid():N}/protection", new { customerPhone = TestPhones.Next(), courierPhone = TestPhones.Next(), city = "北京" });
        var b = await PutAsync($"/v1/delivery-orders/dlv-{Guid.NewGuid():N}/protection", new { customerPhone = TestPhones.Next(), courierPhone = TestPhones.Next(), city = "北京" });

        Assert.Equal(HttpStatusCode.Created, a.Status);
        Assert.Equal(HttpStatusCode.Created, b.Status);
        Assert.NotEqual(a.Body.GetProperty("dialString").GetString(), b.Body.GetProperty("dialString").GetString());
    }

    [Fact]
    public async Task Changes_ToAnEndedDelivery_Return409_AndToAnUnknownOne404()
    {
        var orderId = $"dlv-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, (await PutAsync($"/v1/delivery-orders/{orderId}/protection", new { customerPhone = TestPhones.Next(), courierPhone = TestPhones.Next() })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, $"/v1/delivery-orders/{orderId}/protection")).Status);

        var courier = await PutAsync($"/v1/delivery-orders/{orderId}/protection/courier", new { courierPhone = TestPhones.Next() });
        var tracking = await PutAsync($"/v1/delivery-orders/{orderId}/protection/tracking-number", new { trackingNumber = "YT0000000001" });

        Assert.Equal(HttpStatusCode.Conflict, courier.Status);
        Assert.Equal("order.protection_ended", courier.Body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, tracking.Status);
        Assert.Equal("order.protection_ended", tracking.Body.GetProperty("code").GetString());
        Assert.Equal(["BindingCreated", "BindingReleased"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, atLeast: 2)).Select(e => e.MessageType));

        const string unknown = "/v1/delivery-orders/never-protected/protection";
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(unknown)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, unknown)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync($"{unknown}/courier", new { courierPhone = TestPhones.Next() })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync($"{unknown}/tracking-number", new { trackingNumber = "YT0000000002" })).Status);
        var lookup = await GetAsync("/v1/delivery-orders/by-tracking-number/YT0000000003");
        Assert.Equal(HttpStatusCode.NotFound, lookup.Status);
        Assert.Equal("tracking_number.not_found", lookup.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task TrackingNumbers_AnotherOnTheSameDelivery_OrTheSameOnAnotherDelivery_Get409()
    {
        var first = $"dlv-{Guid.NewGuid():N}";
        var second = $"dlv-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, (await PutAsync($"/v1/delivery-orders/{first}/protection", new { customerPhone = TestPhones.Next(), courierPhone = TestPhones.Next() })).Status);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync($"/v1/delivery-orders/{second}/protection", new { customerPhone = TestPhones.Next(), courierPhone = TestPhones.Next() })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync($"/v1/delivery-orders/{first}/protection/tracking-number", new { trackingNumber = "YT1111111111" })).Status);

        var another = await PutAsync($"/v1/delivery-orders/{first}/protection/tracking-number", new { trackingNumber = "YT2222222222" });
        var taken = await PutAsync($"/v1/delivery-orders/{second}/protection/tracking-number", new { trackingNumber = "YT1111111111" });

        Assert.Equal(HttpStatusCode.Conflict, another.Status);
        Assert.Equal("delivery.tracking_number_already_attached", another.Body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, taken.Status);
        Assert.Equal("delivery.tracking_number_in_use", taken.Body.GetProperty("code").GetString());
        var trackNos = (await fixture.Simulator.BindingsAsync()).SelectMany(b => b.GetProperty("trackNos").EnumerateArray().Select(t => t.GetString())).ToList();
        Assert.Equal(["YT1111111111"], trackNos);
    }

    [Fact]
    public async Task Lookup_WhileTheProviderIsFailing_Returns503WithRetryAfter_AndNothingChanges()
    {
        var orderId = $"dlv-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, (await PutAsync($"/v1/delivery-orders/{orderId}/protection", new { customerPhone = TestPhones.Next(), courierPhone = TestPhones.Next() })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync($"/v1/delivery-orders/{orderId}/protection/tracking-number", new { trackingNumber = "ZT5555555555" })).Status);

        var faults = await fixture.Simulator.Control.PutAsync(
            "_sim/faults",
            new StringContent("""{"faults": {"actions": ["QueryPhoneNoAByTrackNo"], "errorRates": {"isp.SYSTEM_ERROR": 1}}}""", Encoding.UTF8, "application/json"));
        faults.EnsureSuccessStatusCode();
        try
        {
            using var response = await fixture.Client.GetAsync("/v1/delivery-orders/by-tracking-number/ZT5555555555");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            (await fixture.Simulator.Control.DeleteAsync("_sim/faults")).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/v1/delivery-orders/by-tracking-number/ZT5555555555")).Status);
    }

    [Theory]
    [InlineData("""{"customerPhone":"1380013800","courierPhone":"13900139000"}""", "customerPhone")]
    [InlineData("""{"customerPhone":"13800138000"}""", "courierPhone")]
    [InlineData("""{"customerPhone":"13800138000","courierPhone":"13800138000"}""", "courierPhone")]
    [InlineData("""{"customerPhone":"13800138000","courierPhone":"13900139000","product":"axg"}""", "product")]
    [InlineData("""{"customerPhone":"13800138000","courierPhone":"13900139000","expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt")]
    public async Task Protect_WithAnInvalidField_Returns400NamingIt_AndBindsNothing(string json, string field)
    {
        var response = await fixture.Client.PutAsync("/v1/delivery-orders/dlv-bad/protection", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Empty(await fixture.Simulator.BindingsAsync());
    }

    [Fact]
    public async Task ChangesAndLookup_WithInvalidInput_Return400()
    {
        var orderId = $"dlv-{Guid.NewGuid():N}";
        var customer = TestPhones.Next();
        Assert.Equal(HttpStatusCode.Created, (await PutAsync($"/v1/delivery-orders/{orderId}/protection", new { customerPhone = customer, courierPhone = TestPhones.Next() })).Status);

        var badCourier = await PutAsync($"/v1/delivery-orders/{orderId}/protection/courier", new { courierPhone = "12345" });
        var customerAsCourier = await PutAsync($"/v1/delivery-orders/{orderId}/protection/courier", new { courierPhone = customer });
        var badTracking = await PutAsync($"/v1/delivery-orders/{orderId}/protection/tracking-number", new { trackingNumber = "has space" });
        var badLookup = await GetAsync($"/v1/delivery-orders/by-tracking-number/{new string('9', 65)}");

        Assert.Equal(HttpStatusCode.BadRequest, badCourier.Status);
        Assert.True(badCourier.Body.GetProperty("errors").TryGetProperty("courierPhone", out _));
        Assert.Equal(HttpStatusCode.BadRequest, customerAsCourier.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badTracking.Status);
        Assert.True(badTracking.Body.GetProperty("errors").TryGetProperty("trackingNumber", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badLookup.Status);
        Assert.Equal(customer, Assert.Single(await fixture.Simulator.BindingsAsync()).GetProperty("phoneNoA").GetString());
        AssertNoNumberInClear([customer], _responseBodies);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryDeliveryEndpoint_WithSummaryDescriptionAndExamples()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        var operations = new (string Path, string Method, bool HasBody)[]
        {
            ("/v1/delivery-orders/{orderId}/protection", "put", true),
            ("/v1/delivery-orders/{orderId}/protection", "get", false),
            ("/v1/delivery-orders/{orderId}/protection", "delete", false),
            ("/v1/delivery-orders/{orderId}/protection/courier", "put", true),
            ("/v1/delivery-orders/{orderId}/protection/tracking-number", "put", true),
            ("/v1/delivery-orders/by-tracking-number/{trackingNumber}", "get", false),
        };

        foreach (var (path, method, hasBody) in operations)
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path}: summary");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()), $"{method} {path}: description");
            if (hasBody)
            {
                Assert.True(HasExamples(operation.GetProperty("requestBody")), $"{method} {path}: request example");
            }

            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                Assert.True(HasExamples(response.Value), $"{method} {path}: example for {response.Name}");
            }
        }

        var protectExample = paths.GetProperty("/v1/delivery-orders/{orderId}/protection").GetProperty("put")
            .GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json")
            .GetProperty("examples").GetProperty("axnExtension").GetProperty("value");
        Assert.Equal("17200000001,1", protectExample.GetProperty("dialString").GetString());
        Assert.Equal("138****8000", protectExample.GetProperty("customerPhone").GetString());
    }

    private static bool HasExamples(JsonElement bodyOrResponse) =>
        bodyOrResponse.TryGetProperty("content", out var content)
        && content.EnumerateObject().Any()
        && content.EnumerateObject().All(m => m.Value.TryGetProperty("examples", out var examples) && examples.EnumerateObject().Any());

    private static void AssertNoNumberInClear(IEnumerable<string> numbers, IEnumerable<string> texts)
    {
        var all = texts.ToList();
        Assert.NotEmpty(all);
        foreach (var number in numbers)
        {
            Assert.DoesNotContain(all, text => text.Contains(number, StringComparison.Ordinal));
        }
    }

    private static bool IsInEffect(JsonElement providerBinding) =>
        providerBinding.GetProperty("status").ValueKind == JsonValueKind.Number && providerBinding.GetProperty("status").GetInt32() == 1;

    private static IReadOnlyList<string?> Changes(ReceivedEvent e) => [.. e.Message.GetProperty("changes").EnumerateArray().Select(c => c.GetString())];

    private async Task<JsonElement> ProviderBindingAsync(string subsId) =>
        Assert.Single(await fixture.Simulator.BindingsAsync(), b => b.GetProperty("subsId").GetString() == subsId);

    private Task<Reply> PutAsync(string path, object body) =>
        SendAsync(HttpMethod.Put, path, JsonContent.Create(body));

    private Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>Sends a request and keeps the raw response body for the privacy checks.</summary>
    private async Task<Reply> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await fixture.Client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        _responseBodies.Add(raw);
        var body = raw.Length == 0 ? default : JsonDocument.Parse(raw).RootElement.Clone();
        return new Reply(response.StatusCode, body, response.Headers.Location?.OriginalString);
    }

    private static string Mask(string number) => $"{number[..3]}****{number[^4..]}";

    private sealed record Reply(HttpStatusCode Status, JsonElement Body, string? Location);
}
