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
