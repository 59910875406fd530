using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.AliyunSimulator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>
/// The receipt push (docs/simulator.md, 'Receipts'): each simulated call's receipts go to the configured URL, one type
/// per batch, with the provider's field names; an unacknowledged batch is retried on the retry schedule, then dropped;
/// duplicates and reordering imitate the provider; <c>GET /_sim/receipts</c> tells what was pushed and acknowledged.
/// </summary>
public sealed class ReceiptPushTests : IAsyncLifetime
{
    private const string A = "13800000001";
    private const string B = "13800000002";
    private const string Stranger = "13900000009";

    private readonly Receiver receiver = new();

    public Task InitializeAsync() => receiver.StartAsync();

    public Task DisposeAsync() => receiver.DisposeAsync().AsTask();

    [Fact]
    public async Task ConnectedRecordedCall_PushesStartReportRecording_OneTypePerBatch_WithProviderFields()
    {
        await using var sim = await StartAsync();
        var (subsId, x) = await sim.BindOkAsync(A, B, ("IsRecordingEnabled", "true"), ("OutId", "our-binding-id"));

        var callId = await SimulateAsync(sim, A, x, 30);
        var pushes = await SettledAsync(sim, 3);

        Assert.Equal(["SecretStartReport", "SecretReport", "SecretRecording"], receiver.Received.Select(r => r.Type));
        Assert.All(pushes, p => Assert.True(p.GetProperty("acknowledged").GetBoolean()));
        var start = Single(receiver.Received[0].Body);
        Assert.Equal(callId, start.GetProperty("call_id").GetString());
        Assert.Equal(subsId, start.GetProperty("sub_id").GetString());
        Assert.Equal("our-binding-id", start.GetProperty("out_id").GetString());
        Assert.Equal(A, start.GetProperty("phone_no").GetString());
        Assert.Equal(B, start.GetProperty("peer_no").GetString());
        Assert.Equal(x, start.GetProperty("secret_no").GetString());
        Assert.Equal(0, start.GetProperty("call_type").GetInt32());
        Assert.Equal("2026-03-01 10:00:00", start.GetProperty("call_time").GetString());

        var report = Single(receiver.Received[1].Body);
        Assert.Equal("2026-03-01 10:00:05", report.GetProperty("start_time").GetString());
        Assert.Equal("2026-03-01 10:00:35", report.GetProperty("release_time").GetString());
        Assert.Equal(0, report.GetProperty("unconnected_cause").GetInt32());
        Assert.Equal(16, report.GetProperty("release_cause").GetInt32());

        var recording = Single(receiver.Received[2].Body);
        Assert.Equal(callId, recording.GetProperty("call_id").GetString());
    }

    [Fact]
    public async Task CallFromTheOtherSide_IsCallTypeOne_AndACallWithNoBinding_SaysNoSubsExist()
    {
        await using var sim = await StartAsync();
        var (_, x) = await sim.BindOkAsync(A, B);

        await SimulateAsync(sim, B, x, 10);
        await SimulateAsync(sim, Stranger, x, 10);
        await SettledAsync(sim, 4);

        var fromB = Single(receiver.Received[0].Body);
        Assert.Equal(1, fromB.GetProperty("call_type").GetInt32());
        Assert.Equal(A, fromB.GetProperty("phone_no").GetString());
        Assert.Equal(B, fromB.GetProperty("peer_no").GetString());

        var stranger = Single(receiver.Received[3].Body);
        Assert.Equal("SecretReport", receiver.Received[3].Type);
        Assert.Equal("NO_SUBS_EXIST", stranger.GetProperty("control_msg").GetString());
        Assert.Equal(2, stranger.GetProperty("unconnected_cause").GetInt32());
        Assert.Equal(string.Empty, stranger.GetProperty("sub_id").GetString());
    }

    [Fact]
    public async Task UnacknowledgedBatch_IsRetriedOnTheSchedule_ThenDropped()
    {
        receiver.Answer = Results.Text("""{"code":1,"msg":"no"}""", "application/json");
        await using var sim = await StartAsync("Receipts:RetryDelaysMs:0=20", "Receipts:RetryDelaysMs:1=20", "Receipts:RetryDelaysMs:2=20");
        var (_, x) = await sim.BindOkAsync(A, B);

        await SimulateAsync(sim, A, x, 10);
        var pushes = await SettledAsync(sim, 2);

        Assert.All(pushes, p =>
        {
            Assert.Equal(4, p.GetProperty("attempts").GetInt32());
            Assert.False(p.GetProperty("acknowledged").GetBoolean());
            Assert.True(p.GetProperty("dropped").GetBoolean());
        });
        Assert.Equal(8, receiver.Received.Count);
    }

    [Fact]
    public async Task ABatchRefusedOnce_IsAcknowledgedOnItsRetry()
    {
        receiver.FailFirst = 1;
        await using var sim = await StartAsync("Receipts:RetryDelaysMs:0=20");
        var (_, x) = await sim.BindOkAsync(A, B);

        await SimulateAsync(sim, A, x, 10);
        var pushes = await SettledAsync(sim, 2);

        Assert.Equal([2, 1], pushes.Select(p => p.GetProperty("attempts").GetInt32()));
        Assert.All(pushes, p => Assert.True(p.GetProperty("acknowledged").GetBoolean()));
        Assert.Equal(500, receiver.Statuses[0]);
    }

    [Fact]
    public async Task DuplicatesAndReordering_PushEveryBatchTwice_CallRecordFirst()
    {
        await using var sim = await StartAsync("Receipts:Duplicates=true", "Receipts:Reorder=true");
        var (_, x) = await sim.BindOkAsync(A, B);

        await SimulateAsync(sim, A, x, 10);
        await SettledAsync(sim, 4);

        Assert.Equal(["SecretReport", "SecretReport", "SecretStartReport", "SecretStartReport"], receiver.Received.Select(r => r.Type));
        Assert.Equal(receiver.Received[0].Body, receiver.Received[1].Body);
    }

    [Fact]
    public async Task WithoutAUrl_NothingIsPushed_AndSettingsCanBeChangedAtRuntime()
    {
        await using var sim = await StartAsync(withUrl: false);
        var (_, x) = await sim.BindOkAsync(A, B);
        await SimulateAsync(sim, A, x, 10);
        Assert.Empty(await SettledAsync(sim, 0));

        var put = await sim.Http.PutAsJsonAsync("/_sim/receipts/settings", new { url = receiver.Url, retryDelaysMs = new[] { 10 } });
        put.EnsureSuccessStatusCode();
        await SimulateAsync(sim, A, x, 10);
        Assert.Equal(2, (await SettledAsync(sim, 2)).Count);

        var invalid = await sim.Http.PutAsJsonAsync("/_sim/receipts/settings", new { url = "not a url" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task SimulatedSms_IsHeld_AndPushesOneSecretSmsIntercept_WithProviderFields()
    {
        await using var sim = await StartAsync();
        var (subsId, x) = await sim.BindOkAsync(A, B, ("OutId", "our-binding-id"));

        var held = await SimulateSmsAsync(sim, A, x, "我在北门");
        var stranger = await SimulateSmsAsync(sim, Stranger, x, null);
        await SettledAsync(sim, 2);

        Assert.Equal(["SecretSmsIntercept", "SecretSmsIntercept"], receiver.Received.Select(r => r.Type));
        var sms = Single(receiver.Received[0].Body);
        Assert.Equal(held.GetProperty("callId").GetString(), sms.GetProperty("call_id").GetString());
        Assert.Equal(subsId, sms.GetProperty("sub_id").GetString());
        Assert.Equal("our-binding-id", sms.GetProperty("out_id").GetString());
        Assert.Equal(A, sms.GetProperty("send_no").GetString());
        Assert.Equal(B, sms.GetProperty("receive_no").GetString());
        Assert.Equal(x, sms.GetProperty("secret_no").GetString());
        Assert.Equal("我在北门", sms.GetProperty("sms_content").GetString());
        Assert.Equal("NORMAL", sms.GetProperty("sms_intercept_type").GetString());
        Assert.Equal(1, sms.GetProperty("sms_type").GetInt32());
        Assert.Equal("2026-03-01 10:00:00", sms.GetProperty("start_time").GetString());
        Assert.Equal("NORMAL", held.GetProperty("interceptType").GetString());
        Assert.Equal(B, held.GetProperty("recipient").GetString());

        var unbound = Single(receiver.Received[1].Body);
        Assert.Equal("SUBS_NOT_EXISTS", unbound.GetProperty("sms_intercept_type").GetString());
        Assert.Equal(string.Empty, unbound.GetProperty("sub_id").GetString());
        Assert.Equal(string.Empty, unbound.GetProperty("receive_no").GetString());
        Assert.Equal("noBinding", stranger.GetProperty("outcome").GetString());

        // Held for ConfirmSendSms, like a seeded SMS.
        var calls = await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/calls");
        var recorded = calls.EnumerateArray().Single(c => c.GetProperty("callId").GetString() == held.GetProperty("callId").GetString());
        Assert.NotEqual(JsonValueKind.Null, recorded.GetProperty("sms").ValueKind);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await sim.Http.PostAsJsonAsync("/_sim/sms/simulate", new { sender = "abc", calledNo = x })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await sim.Http.PostAsJsonAsync("/_sim/sms/simulate", new { sender = A, calledNo = "19999999999" })).StatusCode);
    }

    private static async Task<JsonElement> SimulateSmsAsync(RunningSimulator sim, string sender, string x, string? content)
    {
        var response = await sim.Http.PostAsJsonAsync("/_sim/sms/simulate", new { sender, calledNo = x, content });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<RunningSimulator> StartAsync(params string[] settings) => StartAsync(true, settings);

    private Task<RunningSimulator> StartAsync(bool withUrl, params string[] settings) =>
        RunningSimulator.StartAsync([.. settings, .. withUrl ? new[] { "Receipts:Url=" + receiver.Url } : []]);

    private static async Task<string> SimulateAsync(RunningSimulator sim, string caller, string x, int durationSeconds)
    {
        var response = await sim.Http.PostAsJsonAsync("/_sim/calls/simulate", new { caller, calledNo = x, durationSeconds });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callId").GetString()!;
    }

    /// <summary>The pushes once at least <paramref name="count"/> exist and none is queued or waiting for a retry.</summary>
    private static async Task<List<JsonElement>> SettledAsync(RunningSimulator sim, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var state = await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/receipts");
            var pushes = state.GetProperty("pushes").EnumerateArray().ToList();
            if (state.GetProperty("pending").GetInt32() == 0 && pushes.Count >= count)
            {
                return pushes;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Pushes did not settle: {state}");
            await Task.Delay(20); // pacing: polls the simulator's push list
        }
    }

    private static JsonElement Single(string body)
    {
        using var document = JsonDocument.Parse(body);
        return Assert.Single(document.RootElement.EnumerateArray()).Clone();
    }

    /// <summary>A receiver on real Kestrel that records what it gets and answers as told (the acknowledgement by default).</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private WebApplication? app;

        public ConcurrentQueue<(string Type, string Body)> Queue { get; } = new();

        public List<(string Type, string Body)> Received => [.. Queue];

        public ConcurrentQueue<int> StatusQueue { get; } = new();

        public List<int> Statuses => [.. StatusQueue];

        public IResult Answer { get; set; } = Results.Text("""{"code":0,"msg":"接收成功"}""", "application/json");

        public int FailFirst { get; set; }

        public string Url { get; private set; } = string.Empty;

        public async Task StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
            app = builder.Build();
            var calls = 0;
            app.MapPost("/r/{type}", async (string type, HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                Queue.Enqueue((type, await reader.ReadToEndAsync()));
                if (Interlocked.Increment(ref calls) <= FailFirst)
                {
                    StatusQueue.Enqueue(500);
                    return Results.StatusCode(500);
                }

                StatusQueue.Enqueue(200);
                return Answer;
            });
            await app.StartAsync();
            Url = app.Urls.Single().TrimEnd('/') + "/r/{type}";
        }

        public async ValueTask DisposeAsync()
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }
}
