using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Infrastructure.Aliyun;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests.Receipts;

/// <summary>
/// Simulated calls become call events and call log entries: the simulator pushes each call's receipts (with duplicates
/// and in reverse order) into the receiver, the processor turns them into events on the broker, read by a plain AMQP
/// consumer. Each call yields exactly the expected events, once, in the call's order.
/// </summary>
[Collection(ReceiptsCollection.Name)]
public sealed class ReceiptFlowTests(ReceiptsFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync(duplicates: true, reorder: true);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ConnectedRecordedCall_YieldsStartedEndedRecordingOnce_InOrder_AndTheCallLogListsIt()
    {
        var (orderId, bindingId, x, passenger, driver) = await ProtectRideAsync(recording: true);

        var callId = await SimulateAsync(passenger, x, durationSeconds: 42);
        await fixture.WaitForQuietAsync();

        var events = fixture.Events.Events.Where(e => e.Get("callId") == callId).ToList();
        Assert.Equal(["CallStarted", "CallEnded", "RecordingReady"], events.Select(e => e.MessageType));
        var ended = events[1];
        Assert.Equal("true", ended.Get("connected"));
        Assert.Equal("42", ended.Get("durationSeconds"));
        Assert.Equal("fromPartyA", ended.Get("direction"));
        Assert.Equal(PhoneNumberMask(passenger), ended.Get("callerMasked"));
        Assert.Equal(PhoneNumberMask(driver), ended.Get("calleeMasked"));
        Assert.Equal(orderId, ended.Get("orderId"));
        Assert.Equal("ride", ended.Get("businessLine"));
        Assert.Equal(Guid.Parse(bindingId), Guid.Parse(ended.Get("bindingId")!));
        Assert.All(events, e => Assert.DoesNotContain(passenger, e.RawBody, StringComparison.Ordinal));
        Assert.All(events, e => Assert.DoesNotContain(driver, e.RawBody, StringComparison.Ordinal));

        // Every batch was pushed twice and acknowledged; the duplicates were recognised, not processed again.
        var pushes = await fixture.SettledPushesAsync();
        Assert.Equal(6, pushes.Count(p => p.GetProperty("callId").GetString() == callId));
        Assert.All(pushes, p => Assert.True(p.GetProperty("acknowledged").GetBoolean()));
        Assert.Equal(3, await fixture.ScalarAsync<long>($"SELECT count(*) FROM receipt_inbox WHERE call_id = '{callId}' AND status = 'Processed'"));

        // The ride's call log lists it with masked numbers; the recording answers a URL.
        var page = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection/calls");
        var call = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(callId, call.GetProperty("callId").GetString());
        Assert.Equal("connected", call.GetProperty("status").GetString());
        Assert.Equal(PhoneNumberMask(passenger), call.GetProperty("callerMasked").GetString());
        Assert.True(call.GetProperty("recording").GetBoolean());
        Assert.DoesNotContain(passenger, page.GetRawText(), StringComparison.Ordinal);

        var recording = await fixture.Client.GetAsync($"/v1/calls/{callId}/recording");
        Assert.Equal(HttpStatusCode.OK, recording.StatusCode);
        var url = (await recording.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString();
        Assert.False(string.IsNullOrEmpty(url));

        // The binding's call list holds the same call.
        var byBinding = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/bindings/{bindingId}/calls");
        Assert.Equal(callId, Assert.Single(byBinding.GetProperty("items").EnumerateArray()).GetProperty("callId").GetString());
    }

    [Fact]
    public async Task UnansweredCall_YieldsStartedAndEndedNotConnected_NoRecording()
    {
        var (_, _, x, passenger, _) = await ProtectRideAsync(recording: true);

        var callId = await SimulateAsync(passenger, x, durationSeconds: 0);
        await fixture.WaitForQuietAsync();

        var events = fixture.Events.Events.Where(e => e.Get("callId") == callId).ToList();
        Assert.Equal(["CallStarted", "CallEnded"], events.Select(e => e.MessageType));
        Assert.Equal("false", events[1].Get("connected"));
        Assert.Equal("noAnswer", events[1].Get("notConnectedReason"));
        Assert.Equal("19", events[1].Get("releaseCause"));
        Assert.Equal("true", events[1].Get("rang"));

        var recording = await fixture.Client.GetAsync($"/v1/calls/{callId}/recording");
        Assert.Equal(HttpStatusCode.NotFound, recording.StatusCode);
        Assert.Equal("call.recording_not_found", (await recording.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task BlacklistedCall_YieldsEndedWithReasonBlacklisted()
    {
        var (_, _, x, passenger, driver) = await ProtectRideAsync();
        var client = fixture.Factory.Services.GetRequiredService<IDyplsapiClient>();
        var added = await client.AddSecretBlacklistAsync(
            new AddSecretBlacklistRequest { PoolKey = SimulatorHost.PoolKey, BlackNo = $"{passenger}:{driver}", BlackType = BlackTypes.PointToPoint },
            CancellationToken.None);
        Assert.True(added.IsSuccess);

        var callId = await SimulateAsync(passenger, x, durationSeconds: 30);
        await fixture.WaitForQuietAsync();

        var events = fixture.Events.Events.Where(e => e.Get("callId") == callId).ToList();
        Assert.Equal(["CallStarted", "CallEnded"], events.Select(e => e.MessageType));
        Assert.Equal("false", events[1].Get("connected"));
        Assert.Equal("blacklisted", events[1].Get("notConnectedReason"));
    }

    [Fact]
    public async Task CallAfterRelease_YieldsOneCallToUnboundNumber_NamingTheOrder()
    {
        var (orderId, bindingId, x, passenger, _) = await ProtectRideAsync();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.DeleteAsync($"/v1/ride-orders/{orderId}/protection")).StatusCode);

        var callId = await SimulateAsync(passenger, x, durationSeconds: 30);
        await fixture.WaitForQuietAsync();

        var events = fixture.Events.Events.Where(e => e.Get("callId") == callId).ToList();
        var unbound = Assert.Single(events);
        Assert.Equal("CallToUnboundNumber", unbound.MessageType);
        Assert.Equal("noSubsExist", unbound.Get("reason"));
        Assert.Equal(orderId, unbound.Get("orderId"));
        Assert.Equal(Guid.Parse(bindingId), Guid.Parse(unbound.Get("bindingId")!));
        Assert.Equal(PhoneNumberMask(passenger), unbound.Get("callerMasked"));
        Assert.Equal(x, unbound.Get("secretNo"));

        var page = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection/calls");
        Assert.Equal("unbound", Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task CallLog_OfAnotherCaller_IsNotFound()
    {
        var (orderId, bindingId, x, passenger, _) = await ProtectRideAsync();
        var callId = await SimulateAsync(passenger, x, durationSeconds: 10);
        await fixture.WaitForQuietAsync();

        await using var other = fixture.CreateFactory(new Dictionary<string, string?> { ["Receipts:ProcessingEnabled"] = "false" });
        using var otherClient = other.CreateClient();
        otherClient.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TestTokens.For("another-caller"));
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/v1/ride-orders/{orderId}/protection/calls")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/v1/bindings/{bindingId}/calls")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/v1/calls/{callId}/recording")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/v1/calls/{callId}/transcript")).StatusCode);

        // The owner sees it.
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"/v1/ride-orders/{orderId}/protection/calls")).StatusCode);
    }

    [Fact]
    public async Task CallLog_IsPaged_NewestFirst()
    {
        var (orderId, _, x, passenger, _) = await ProtectRideAsync();
        var calls = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            calls.Add(await SimulateAsync(passenger, x, durationSeconds: 5, callTime: DateTimeOffset.UtcNow.AddMinutes(i + 1)));
        }

        await fixture.WaitForQuietAsync();
        var first = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection/calls?limit=2");
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection/calls?limit=2&cursor={cursor}");
        var listed = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(c => c.GetProperty("callId").GetString()).ToList();
        Assert.Equal(Enumerable.Reverse(calls), listed);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var bad = await fixture.Client.GetAsync($"/v1/ride-orders/{orderId}/protection/calls?cursor=not-a-cursor");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task InterceptedSms_YieldsOneSmsIntercepted_WithMaskedNumbers_AndNeverTheText()
    {
        var (orderId, bindingId, x, passenger, driver) = await ProtectRideAsync();
        var inText = TestPhones.Next();
        var text = $"司机您好，我在北门，请打 {inText}";

        var sms = await SimulateSmsAsync(passenger, x, text);
        var smsId = sms.GetProperty("callId").GetString()!;
        Assert.Equal("NORMAL", sms.GetProperty("interceptType").GetString());
        await fixture.WaitForQuietAsync();

        // Pushed twice (duplicates on), acknowledged, stored once; one event.
        var pushes = (await fixture.SettledPushesAsync()).Where(p => p.GetProperty("callId").GetString() == smsId).ToList();
        Assert.Equal(2, pushes.Count);
        Assert.All(pushes, p => Assert.Equal("SecretSmsIntercept", p.GetProperty("type").GetString()));
        Assert.All(pushes, p => Assert.True(p.GetProperty("acknowledged").GetBoolean()));
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM receipt_inbox WHERE call_id = '{smsId}' AND status = 'Processed'"));

        var events = fixture.Events.Events.Where(e => e.Get("callId") == smsId).ToList();
        var intercepted = Assert.Single(events);
        Assert.Equal("SmsIntercepted", intercepted.MessageType);
        Assert.Equal(intercepted.MessageId, intercepted.Get("eventId"));
        Assert.Equal(PhoneNumberMask(passenger), intercepted.Get("senderMasked"));
        Assert.Equal(PhoneNumberMask(driver), intercepted.Get("recipientMasked"));
        Assert.Equal(x, intercepted.Get("secretNo"));
        Assert.Equal("normal", intercepted.Get("interceptType"));
        Assert.Equal("false", intercepted.Get("smart"));
        Assert.Equal(orderId, intercepted.Get("orderId"));
        Assert.Equal("ride", intercepted.Get("businessLine"));
        Assert.Equal(Guid.Parse(bindingId), Guid.Parse(intercepted.Get("bindingId")!));
        foreach (var secret in new[] { passenger, driver, inText, "北门" })
        {
            Assert.DoesNotContain(secret, intercepted.RawBody, StringComparison.Ordinal);
        }

        // The same receipt pushed again later (after it was processed) publishes nothing more.
        (await fixture.Simulator.Control.DeleteAsync("_sim/receipts")).EnsureSuccessStatusCode();
        var again = await fixture.Client.PostAsync(
            $"/v1/provider-receipts/SecretSmsIntercept?token={ReceiptsFixture.Secret}",
            new StringContent(
                $$"""[{"id":"other-{{smsId}}","call_id":"{{smsId}}","send_no":"{{passenger}}","secret_no":"{{x}}","receive_no":"{{driver}}","sms_intercept_type":"NORMAL","sms_content":"again"}]""",
                System.Text.Encoding.UTF8,
                "application/json"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await fixture.WaitForQuietAsync();
        Assert.Single(fixture.Events.Events, e => e.Get("callId") == smsId);
    }

    [Fact]
    public async Task SmsAfterRelease_YieldsSmsInterceptedNoBinding_NamingTheEndedOrder()
    {
        var (orderId, bindingId, x, passenger, _) = await ProtectRideAsync();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.DeleteAsync($"/v1/ride-orders/{orderId}/protection")).StatusCode);

        var sms = await SimulateSmsAsync(passenger, x, "还在吗");
        var smsId = sms.GetProperty("callId").GetString()!;
        await fixture.WaitForQuietAsync();

        var intercepted = Assert.Single(fixture.Events.Events, e => e.Get("callId") == smsId);
        Assert.Equal("SmsIntercepted", intercepted.MessageType);
        Assert.Equal("noBinding", intercepted.Get("interceptType"));
        Assert.Equal(orderId, intercepted.Get("orderId"));
        Assert.Equal(Guid.Parse(bindingId), Guid.Parse(intercepted.Get("bindingId")!));
        Assert.True(intercepted.Get("recipientMasked") is null or "null", "no one would have received it");
    }

    private async Task<JsonElement> SimulateSmsAsync(string sender, string x, string content)
    {
        var response = await fixture.Simulator.Control.PostAsJsonAsync("_sim/sms/simulate", new { sender, calledNo = x, content });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<(string OrderId, string BindingId, string X, string Passenger, string Driver)> ProtectRideAsync(bool recording = false)
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        var passenger = TestPhones.Next();
        var driver = TestPhones.Next();
        var created = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = passenger, driverPhone = driver });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var protection = await created.Content.ReadFromJsonAsync<JsonElement>();
        if (recording)
        {
            Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection/recording", new { enabled = true })).StatusCode);
        }

        return (orderId, protection.GetProperty("bindingId").GetString()!, protection.GetProperty("virtualNumber").GetString()!, passenger, driver);
    }

    private async Task<string> SimulateAsync(string caller, string x, int durationSeconds, DateTimeOffset? callTime = null)
    {
        var response = await fixture.Simulator.Control.PostAsJsonAsync(
            "_sim/calls/simulate",
            new { caller, calledNo = x, durationSeconds, callTime = callTime?.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callId").GetString()!;
    }

    private static string PhoneNumberMask(string number) => BindingService.Domain.Common.PhoneNumber.Mask(number);
}
