using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// Issue 14, pickup waybills for delivery orders against the simulator: the pre-query, a booking and its idempotent
/// repeats, the waybill and mail number in the delivery's view and in exactly one event, cancelling (twice), another
/// caller's delivery answered like a missing one, a provider refusal mapped, and no personal data stored in clear.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class PickUpWaybillTests(ServiceFixture fixture) : IAsyncLifetime
{
    private const string WaybillEvents = "BindingService.Contracts:IPickUpWaybillEvent";
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private readonly string _senderMobile = TestPhones.Next();
    private readonly string _consigneeMobile = TestPhones.Next();
    private EventListener _events = null!;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _events = await EventListener.StartAsync(fixture.Servers.RabbitMqUri, fixture.ConnectionString, WaybillEvents);
    }

    public async Task DisposeAsync() => await _events.DisposeAsync();

    [Fact]
    public async Task TheQuote_OffersTheCouriersSlotsAndPrice_ForAProtectedDelivery_Only()
    {
        var orderId = await ProtectAsync(fixture.Client);

        var quote = await fixture.Client.PostAsJsonAsync(Path(orderId) + "/quote", new { sender = Sender(), consignee = Consignee(), weightGrams = 1500 });

        Assert.Equal(HttpStatusCode.OK, quote.StatusCode);
        var body = await quote.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("12.00", body.GetProperty("price").GetString()); // 10.00 for the first kilogram, 2.00 for the started second
        var days = body.GetProperty("appointments").EnumerateArray().ToList();
        Assert.Equal(3, days.Count);
        var slot = days[0].GetProperty("slots").EnumerateArray().First();
        var start = slot.GetProperty("start").GetDateTimeOffset();
        Assert.Equal(9, start.ToOffset(China).Hour);
        Assert.Equal(start.AddHours(2), slot.GetProperty("end").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("realTime").ValueKind);

        var unknown = await fixture.Client.PostAsJsonAsync(Path($"dlv-{Guid.NewGuid():N}") + "/quote", new { sender = Sender(), consignee = Consignee() });
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "order.not_found");
    }

    [Fact]
    public async Task ABooking_IsIdempotent_ShowsInTheDeliverysView_PublishesOnce_AndCancelsOnceEvenWhenAskedTwice()
    {
        var orderId = await ProtectAsync(fixture.Client);
        var request = new { sender = Sender(), consignee = Consignee(), courier = "YTO", goodsName = "文件", weightGrams = 500 };
        var key = Guid.NewGuid().ToString();

        var created = await PostWithKeyAsync(Path(orderId), request, key);
        var replayed = await PostWithKeyAsync(Path(orderId), request, key);
        var repeat = await fixture.Client.PostAsJsonAsync(Path(orderId), request);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        var waybill = await created.Content.ReadFromJsonAsync<JsonElement>();
        var waybillId = waybill.GetProperty("waybillId").GetString()!;
        var mailNo = waybill.GetProperty("mailNo").GetString()!;
        Assert.Equal("open", waybill.GetProperty("status").GetString());
        Assert.Equal("YTO", waybill.GetProperty("courierCode").GetString());
        Assert.Equal(Mask(_senderMobile), waybill.GetProperty("senderPhone").GetString());
        Assert.Equal("张*", waybill.GetProperty("senderName").GetString());
        Assert.Equal(waybillId, (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("waybillId").GetString());
        Assert.Equal($"/v1/delivery-orders/{orderId}/protection/pickup-waybill", created.Headers.Location?.OriginalString);

        // One order at the provider, under the mail number we answered.
        var atProvider = Assert.Single(await ProviderWaybillsAsync());
        Assert.Equal(mailNo, atProvider.GetProperty("mailNo").GetString());
        Assert.Equal(_senderMobile, atProvider.GetProperty("sendMobile").GetString());
        Assert.False(atProvider.GetProperty("cancelled").GetBoolean());

        // The delivery's view carries it.
        var view = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/delivery-orders/{orderId}/protection");
        Assert.Equal(waybillId, view.GetProperty("pickUpWaybill").GetProperty("waybillId").GetString());
        Assert.Equal(mailNo, view.GetProperty("pickUpWaybill").GetProperty("mailNo").GetString());

        // Stored without a number, name or address in clear.
        var stored = Assert.Single(await fixture.RowsAsTextAsync("pickup_waybills"));
        foreach (var secret in new[] { _senderMobile, _consigneeMobile, "张三", "李四", "文一西路" })
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }

        // Exactly one PickUpWaybillCreated, with the mail number and masked numbers only.
        var createdEvent = Assert.Single(await _events.AllOnceQuietAsync(e => e.MessageType == "PickUpWaybillCreated"));
        Assert.Equal(waybillId, createdEvent.Get("waybillId"));
        Assert.Equal(mailNo, createdEvent.Get("mailNo"));
        Assert.Equal(orderId, createdEvent.Get("orderId"));
        Assert.Equal(Mask(_consigneeMobile), createdEvent.Get("consigneePhoneMasked"));
        Assert.DoesNotContain(_senderMobile, createdEvent.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("张三", createdEvent.RawBody, StringComparison.Ordinal);

        // Cancel, twice: cancelled once at the provider, one event, the same answer.
        var cancelled = await fixture.Client.DeleteAsync(Path(orderId));
        var again = await fixture.Client.DeleteAsync(Path(orderId));
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("cancelled", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.True(Assert.Single(await ProviderWaybillsAsync()).GetProperty("cancelled").GetBoolean());
        var cancelledEvent = Assert.Single(await _events.AllOnceQuietAsync(e => e.MessageType == "PickUpWaybillCancelled"));
        Assert.Equal(waybillId, cancelledEvent.Get("waybillId"));
        Assert.Single(_events.Events, e => e.MessageType == "PickUpWaybillCreated");

        // Once cancelled, the delivery can book another pickup.
        var second = await fixture.Client.PostAsJsonAsync(Path(orderId), request);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual(waybillId, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("waybillId").GetString());
    }

    [Fact]
    public async Task AnotherCallersDelivery_IsAnsweredLikeAMissingOne_AndItsWaybillStaysOpen()
    {
        using var owner = Caller("platform-a");
        using var other = Caller("platform-b");
        var orderId = await ProtectAsync(owner);
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync(Path(orderId), new { sender = Sender(), consignee = Consignee() })).StatusCode);

        foreach (var id in new[] { orderId, $"dlv-{Guid.NewGuid():N}" })
        {
            await AssertProblemAsync(await other.PostAsJsonAsync(Path(id) + "/quote", new { sender = Sender(), consignee = Consignee() }), HttpStatusCode.NotFound, "order.not_found");
            await AssertProblemAsync(await other.PostAsJsonAsync(Path(id), new { sender = Sender(), consignee = Consignee() }), HttpStatusCode.NotFound, "order.not_found");
            await AssertProblemAsync(await other.GetAsync(Path(id)), HttpStatusCode.NotFound, "order.not_found");
            await AssertProblemAsync(await other.DeleteAsync(Path(id)), HttpStatusCode.NotFound, "order.not_found");
        }

        Assert.Equal("open", (await owner.GetFromJsonAsync<JsonElement>(Path(orderId))).GetProperty("status").GetString());
        Assert.False(Assert.Single(await ProviderWaybillsAsync()).GetProperty("cancelled").GetBoolean());
    }

    [Fact]
    public async Task AProviderRefusal_IsA422WithAStableCode_TheFailedWaybillFreesTheDelivery_AndNothingIsPublished()
    {
        var orderId = await ProtectAsync(fixture.Client);
        var yesterday = DateTimeOffset.UtcNow.ToOffset(China).Date.AddDays(-1);
        var past = new DateTimeOffset(yesterday.AddHours(9), China);

        var refused = await fixture.Client.PostAsJsonAsync(Path(orderId), new { sender = Sender(), consignee = Consignee(), appointmentStart = past, appointmentEnd = past.AddHours(2) });

        await AssertProblemAsync(refused, HttpStatusCode.UnprocessableEntity, "pickup_waybill.refused");
        Assert.Equal("failed", (await fixture.Client.GetFromJsonAsync<JsonElement>(Path(orderId))).GetProperty("status").GetString());
        Assert.Empty(await ProviderWaybillsAsync());
        await AssertProblemAsync(await fixture.Client.DeleteAsync(Path(orderId)), HttpStatusCode.OK, null);

        var booked = await fixture.Client.PostAsJsonAsync(Path(orderId), new { sender = Sender(), consignee = Consignee() });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        Assert.Single(await _events.AllOnceQuietAsync(e => e.MessageType == "PickUpWaybillCreated"));
    }

    [Fact]
    public async Task AnInvalidContact_IsA400NamingTheField_WithoutEchoingIt()
    {
        var orderId = await ProtectAsync(fixture.Client);

        var invalid = await fixture.Client.PostAsJsonAsync(Path(orderId), new { sender = new { name = "张三", mobile = "12345", address = Address() }, consignee = Consignee() });

        var text = await invalid.Content.ReadAsStringAsync();
        await AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "request.invalid");
        Assert.Contains("sender.mobile", text, StringComparison.Ordinal);
        Assert.DoesNotContain("12345", text, StringComparison.Ordinal);
        Assert.Empty(await ProviderWaybillsAsync());
    }

    private static string Path(string orderId) => $"/v1/delivery-orders/{orderId}/protection/pickup-waybill";

    private static object Address() => new { province = "浙江省", city = "杭州市", area = "余杭区", detail = "文一西路969号" };

    private object Sender() => new { name = "张三", mobile = _senderMobile, address = Address() };

    private object Consignee() => new { name = "李四", mobile = _consigneeMobile, address = new { province = "北京市", city = "北京市", area = "朝阳区", detail = "望京东路1号" } };

    private static string Mask(string number) => GenericBindingTests.Mask(number);

    private static async Task<string> ProtectAsync(HttpClient client)
    {
        var orderId = $"dlv-{Guid.NewGuid():N}";
        var protect = await client.PutAsJsonAsync($"/v1/delivery-orders/{orderId}/protection", new { customerPhone = TestPhones.Next(), courierPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, protect.StatusCode);
        return orderId;
    }

    private async Task<HttpResponseMessage> PostWithKeyAsync(string path, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await fixture.Client.SendAsync(request);
    }

    private async Task<IReadOnlyList<JsonElement>> ProviderWaybillsAsync() =>
        (await fixture.Simulator.Control.GetFromJsonAsync<JsonElement>("_sim/waybills")).EnumerateArray().ToList();

    private HttpClient Caller(string callerId)
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TestTokens.For(callerId));
        return client;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        if (code is not null)
        {
            Assert.Equal(code, JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        }
    }
}
