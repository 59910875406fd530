using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests.Receipts;

/// <summary>
/// The receiver's contract with the provider: the exact acknowledgement, the secret, tolerant reading, poison kept
/// and acknowledged, duplicates recognised, and a database outage answered with an error so the provider retries.
/// </summary>
[Collection(ReceiptsCollection.Name)]
public sealed class ReceiverTests(ReceiptsFixture fixture) : IAsyncLifetime
{
    private const string Acknowledgement = """{"code":0,"msg":"接收成功"}""";

    public Task InitializeAsync() => fixture.ResetAsync(duplicates: false, reorder: false);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task WrongOrMissingSecret_IsRefused_AndStoresNothing()
    {
        var body = Report("c-wrong-secret");
        var wrong = await PostAsync("SecretReport", body, token: "not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("receipts.unauthorized", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("SecretReport", body, token: null)).StatusCode);
        Assert.Equal(0, await fixture.ScalarAsync<long>("SELECT count(*) FROM receipt_inbox"));

        // The header works as well as the query string.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/provider-receipts/SecretReport") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Receipt-Token", ReceiptsFixture.Secret);
        var viaHeader = await fixture.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, viaHeader.StatusCode);
        Assert.Equal(1, await fixture.ScalarAsync<long>("SELECT count(*) FROM receipt_inbox"));
    }

    [Fact]
    public async Task Batch_IsAcknowledgedExactly_ReadTolerantly_AndDuplicatesAreStoredOnce()
    {
        // Numbers as strings, subs_id instead of sub_id, unknown fields.
        var callId = $"c-{Guid.NewGuid():N}";
        var body = $$"""
            [{"pool_key":"{{SimulatorHost.PoolKey}}","subs_id":"123","call_id":"{{callId}}","phone_no":"{{TestPhones.Next()}}","secret_no":"17000000001",
              "peer_no":"{{TestPhones.Next()}}","call_type":"0","call_time":"2026-11-23 10:00:00","start_time":"2026-11-23 10:00:05",
              "release_time":"2026-11-23 10:00:35","release_dir":"1","release_cause":"16","unconnected_cause":"0","brand_new_field":{"x":1} }]
            """;
        var first = await PostAsync("SecretReport", body);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(Acknowledgement, await first.Content.ReadAsStringAsync());
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);

        var again = await PostAsync("SecretReport", body);
        Assert.Equal(Acknowledgement, await again.Content.ReadAsStringAsync());
        Assert.Equal(1, await fixture.ScalarAsync<long>($"SELECT count(*) FROM receipt_inbox WHERE call_id = '{callId}'"));

        await fixture.WaitForQuietAsync();
        Assert.Equal(30, await fixture.ScalarAsync<int>(
            $"SELECT extract(epoch FROM ended_at - answered_at)::int FROM call_records WHERE call_id = '{callId}'"));
        var events = fixture.Events.Events.Where(e => e.Get("callId") == callId).Select(e => e.MessageType).ToList();
        Assert.Equal(["CallStarted", "CallEnded"], events);
    }

    [Fact]
    public async Task UnreadableBody_IsStoredAsPoison_AndAcknowledged()
    {
        var broken = await PostAsync("SecretReport", "{not json");
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        Assert.Equal(Acknowledgement, await broken.Content.ReadAsStringAsync());

        var noCallId = await PostAsync("SecretReport", """[{"pool_key":"FC1"}]""");
        Assert.Equal(Acknowledgement, await noCallId.Content.ReadAsStringAsync());

        var unknownType = await PostAsync("SecretSomethingNew", """[{"call_id":"x"}]""");
        Assert.Equal(Acknowledgement, await unknownType.Content.ReadAsStringAsync());

        Assert.Equal(3, await fixture.ScalarAsync<long>("SELECT count(*) FROM receipt_inbox WHERE status = 'Poison'"));
        Assert.Equal(0, await fixture.ScalarAsync<long>("SELECT count(*) FROM receipt_inbox WHERE status = 'Pending'"));
    }

    [Fact]
    public async Task DatabaseOutage_AnswersAnError_TheProviderRetries_AndNothingIsLost()
    {
        // A copy of the service whose database is unreachable receives the first pushes.
        await using var broken = fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=postgres;Password=postgres;Timeout=2",
            ["Database:MigrateOnStartup"] = "false",
            ["Receipts:ProcessingEnabled"] = "false",
            ["Outbox:Enabled"] = "false",
        });
        using var brokenClient = broken.CreateClient();
        var refused = await brokenClient.PostAsync($"/v1/provider-receipts/SecretReport?token={ReceiptsFixture.Secret}", new StringContent(Report("c-outage-probe"), Encoding.UTF8, "application/json"));
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);

        await fixture.ResetAsync(duplicates: false, reorder: false, retryDelaysMs: [300, 300, 60_000]);
        fixture.Route.Target = broken.Server.CreateHandler();
        var (orderId, x, passenger) = await ProtectRideAsync();
        var call = await fixture.Simulator.Control.PostAsJsonAsync("_sim/calls/simulate", new { caller = passenger, calledNo = x, durationSeconds = 20 });
        var callId = (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callId").GetString()!;

        // Both batches were refused at least once, then the database is back: the retries are acknowledged.
        await WaitUntilAsync(async () => await PushesAsync(callId) is { Count: 2 } refusedPushes && refusedPushes.All(p => p.GetProperty("attempts").GetInt32() >= 1 && p.GetProperty("lastStatus").GetInt32() != 200), "first attempts refused");
        fixture.Route.Target = fixture.Factory.Server.CreateHandler();
        await fixture.WaitForQuietAsync(TimeSpan.FromSeconds(60));

        var pushes = await PushesAsync(callId);
        Assert.Equal(2, pushes.Count);
        Assert.All(pushes, p => Assert.True(p.GetProperty("acknowledged").GetBoolean()));
        Assert.All(pushes, p => Assert.True(p.GetProperty("attempts").GetInt32() >= 2));
        var events = fixture.Events.Events.Where(e => e.Get("callId") == callId).Select(e => e.MessageType).ToList();
        Assert.Equal(["CallStarted", "CallEnded"], events);
        var page = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection/calls");
        Assert.Equal(callId, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("callId").GetString());
    }

    [Fact]
    public async Task AsrReceipt_AfterTheCallRecord_YieldsTranscriptReady_AndTheTranscriptIsServed()
    {
        var (orderId, x, passenger) = await ProtectRideAsync();
        var call = await fixture.Simulator.Control.PostAsJsonAsync("_sim/calls/simulate", new { caller = passenger, calledNo = x, durationSeconds = 20 });
        var callId = (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callId").GetString()!;
        await fixture.WaitForQuietAsync();

        var asr = $$"""[{"callId":"{{callId}}","bizDuration":"20000","partnerKey":"{{SimulatorHost.PoolKey}}","secretNo":"{{x}}","statusCode":"21050000","sentences":[{"beginTime":500,"endTime":2000,"channelId":0,"text":"喂，您好。"},{"beginTime":2500,"endTime":4000,"channelId":"1","text":"您好。"}]}]""";
        Assert.Equal(Acknowledgement, await (await PostAsync("SecretAsrReport", asr)).Content.ReadAsStringAsync());
        await fixture.WaitForQuietAsync();

        var events = fixture.Events.Events.Where(e => e.Get("callId") == callId).Select(e => e.MessageType).ToList();
        Assert.Equal(["CallStarted", "CallEnded", "TranscriptReady"], events);
        var transcript = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/calls/{callId}/transcript");
        Assert.Equal(20000, transcript.GetProperty("durationMs").GetInt64());
        Assert.Equal(["喂，您好。", "您好。"], transcript.GetProperty("sentences").EnumerateArray().Select(t => t.GetProperty("text").GetString()));
        Assert.Equal(1, transcript.GetProperty("sentences")[1].GetProperty("channel").GetInt32());
        Assert.NotNull(orderId);
    }

    [Fact]
    public async Task NumberHealthReceipts_MarkTheLocalNumberUnhealthy_ThenAvailable_AndRaiseTheEvent()
    {
        const string x = "17000000019";
        // X in a local pool's inventory (as registering it in a pool in local selection mode leaves it).
        await fixture.ScalarAsync<int>($"INSERT INTO pool_numbers (pool_key, secret_no, city, state, active_pairs, updated_at) VALUES ('{SimulatorHost.PoolKey}', '{x}', '', 'Available', 0, now())");

        await PostAsync("SecretExceptionPhoneReport", $$"""[{"secretNo":"{{x}}","partnerKey":"{{SimulatorHost.PoolKey}}","noStatus":"0","timestamp":"1764000000000"}]""");
        await fixture.WaitForQuietAsync();
        Assert.Equal("Unhealthy", await fixture.ScalarAsync<string>($"SELECT state FROM pool_numbers WHERE secret_no = '{x}'"));

        await PostAsync("SecretExceptionPhoneReport", $$"""[{"secretNo":"{{x}}","partnerKey":"{{SimulatorHost.PoolKey}}","noStatus":1,"timestamp":"1764000060000"}]""");
        await fixture.WaitForQuietAsync();
        Assert.Equal("Available", await fixture.ScalarAsync<string>($"SELECT state FROM pool_numbers WHERE secret_no = '{x}'"));

        var health = fixture.Events.Events.Where(e => e.MessageType == "VirtualNumberHealthChanged" && e.Get("secretNo") == x).Select(e => e.Get("healthy")).ToList();
        Assert.Equal(["false", "true"], health);
    }

    private async Task<List<JsonElement>> PushesAsync(string callId)
    {
        var state = await fixture.Simulator.Control.GetFromJsonAsync<JsonElement>("_sim/receipts");
        return [.. state.GetProperty("pushes").EnumerateArray().Where(p => p.GetProperty("callId").GetString() == callId)];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for: {what}.");
            }

            await Task.Delay(50); // pacing: polls the simulator's push list
        }
    }

    private async Task<(string OrderId, string X, string Passenger)> ProtectRideAsync()
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        var passenger = TestPhones.Next();
        var created = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = passenger, driverPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (orderId, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("virtualNumber").GetString()!, passenger);
    }

    private Task<HttpResponseMessage> PostAsync(string type, string body, string? token = ReceiptsFixture.Secret) =>
        fixture.Client.PostAsync(
            token is null ? $"/v1/provider-receipts/{type}" : $"/v1/provider-receipts/{type}?token={Uri.EscapeDataString(token)}",
            new StringContent(body, Encoding.UTF8, "application/json"));

    private static string Report(string callId) =>
        $$"""[{"call_id":"{{callId}}","secret_no":"17000000001","phone_no":"{{TestPhones.Next()}}","peer_no":"{{TestPhones.Next()}}","call_type":0,"call_time":"2026-11-23 10:00:00"}]""";
}
