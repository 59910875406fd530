using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BindingService.AliyunSimulator.Tests.Support;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>Fault injection: errors by rate, latency, timeouts and dropped connections, before or after the action.</summary>
public sealed class FaultsTests
{
    private const string UnknownSubsId = "1000000799999999";
    private const string SomeX = "17000000001";

    [Fact]
    public async Task ErrorRateOne_ForThrottlingUser_EveryCallGetsIt_InTheGatewayBody_AndNothingIsApplied()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:ErrorRates:Throttling.User=1");

        for (var i = 0; i < 10; i++)
        {
            var answer = await sim.BindAsync(TestPhones.Next(), TestPhones.Next());
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal("Throttling.User", answer.Code);
            Assert.Equal("dyplsapi.aliyuncs.com", answer.Field("HostId").GetString());
            Assert.False(answer.Json.TryGetProperty("SecretBindDTO", out _));
        }

        Assert.Empty(await sim.BindingsAsync());
        Assert.Equal(10, (await StatusAsync(sim)).GetProperty("counters").GetProperty("BindAxb").GetProperty("error:Throttling.User").GetInt64());
    }

    [Theory]
    [InlineData("ServiceUnavailable", HttpStatusCode.ServiceUnavailable)]
    [InlineData("InternalError", HttpStatusCode.InternalServerError)]
    [InlineData("Throttling.Api", HttpStatusCode.BadRequest)]
    public async Task GatewayCodes_AnswerTheirHttpStatus_InTheGatewayBody(string code, HttpStatusCode status)
    {
        await using var sim = await RunningSimulator.StartAsync($"Faults:ErrorRates:{code}=1");

        var answer = await sim.QueryAsync(UnknownSubsId, SomeX);

        Assert.Equal(status, answer.Status);
        Assert.Equal(code, answer.Code);
        Assert.True(answer.Json.TryGetProperty("Recommend", out _), answer.ToString());
    }

    [Fact]
    public async Task BusinessCodes_AnswerInTheNormalBody_With200_OrTheConfiguredStatus()
    {
        await using var sim = await RunningSimulator.StartAsync(
            "Faults:ErrorRates:isp.SYSTEM_ERROR=1", "Faults:Actions:0=BindAxb", "BusinessErrorHttpStatus:isv.FLOW_LIMIT=429");

        var bind = await sim.BindAsync(TestPhones.Next(), TestPhones.Next());
        Assert.Equal(HttpStatusCode.OK, bind.Status);
        Assert.Equal("isp.SYSTEM_ERROR", bind.Code);
        Assert.False(bind.Json.TryGetProperty("HostId", out _));
        Assert.Empty(await sim.BindingsAsync());

        await PutAsync(sim, """{"faults": {"errorRates": {"isv.FLOW_LIMIT": 1}}}""");
        var xml = await sim.Pop.SendAsync(new PopCall("QuerySubscriptionDetail", ("PoolKey", RunningSimulator.PoolKey), ("SubsId", UnknownSubsId), ("PhoneNoX", SomeX)) { Format = "XML" });
        Assert.Equal(HttpStatusCode.TooManyRequests, xml.Status);
        Assert.StartsWith("<?xml", xml.Body, StringComparison.Ordinal);
        Assert.Contains("<QuerySubscriptionDetailResponse>", xml.Body, StringComparison.Ordinal);
        Assert.Contains("<Code>isv.FLOW_LIMIT</Code>", xml.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorRateOfOneFifth_Over500Calls_HitsAboutOneFifth_AndTheSameSeedRepeatsTheRun()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:ErrorRates:Throttling.User=0.2", "Faults:Seed=7");

        var first = await RunAsync(sim, 500);
        await PutAsync(sim, """{"faults": {"seed": 7, "errorRates": {"Throttling.User": 0.2}}}""");
        var again = await RunAsync(sim, 500);
        await PutAsync(sim, """{"faults": {"seed": 8, "errorRates": {"Throttling.User": 0.2}}}""");
        var otherSeed = await RunAsync(sim, 500);

        var hits = first.Count(c => c == "Throttling.User");
        Assert.InRange(hits, 75, 125);
        Assert.Equal(500 - hits, first.Count(c => c == "isv.SUBS_NOT_EXIST"));
        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        var counted = (await StatusAsync(sim)).GetProperty("counters").GetProperty("QuerySubscriptionDetail").GetProperty("error:Throttling.User").GetInt64();
        Assert.Equal(hits * 2 + otherSeed.Count(c => c == "Throttling.User"), counted);
    }

    [Fact]
    public async Task ABadlySignedRequest_IsStillRefusedAsSuch()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:ErrorRates:InternalError=1");

        var answer = await sim.Pop.SendAsync(new PopCall("QuerySubscriptionDetail", ("PoolKey", RunningSimulator.PoolKey), ("SubsId", UnknownSubsId), ("PhoneNoX", SomeX))
        {
            Secret = "wrong-secret",
        });

        Assert.Equal("SignatureDoesNotMatch", answer.Code);
        Assert.Empty((await StatusAsync(sim)).GetProperty("counters").EnumerateObject());
    }

    [Fact]
    public async Task ScopedToActions_OtherActionsAreUntouched()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:ErrorRates:InternalError=1", "Faults:Actions:0=QuerySubscriptionDetail");

        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal("InternalError", (await sim.QueryAsync(subsId, x)).Code);
        Assert.Equal("OK", (await sim.UnbindAsync(subsId, x)).Code);
    }

    [Fact]
    public async Task Latency_DelaysTheAnswer_AndIsCounted()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:LatencyMs=300", "Faults:LatencyJitterMs=100");

        var watch = Stopwatch.StartNew();
        var answer = await sim.QueryAsync(UnknownSubsId, SomeX);
        watch.Stop();

        Assert.Equal("isv.SUBS_NOT_EXIST", answer.Code);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered in {watch.Elapsed}");
        Assert.Equal(1, (await StatusAsync(sim)).GetProperty("counters").GetProperty("QuerySubscriptionDetail").GetProperty("latency").GetInt64());
    }

    [Fact]
    public async Task TimeoutBefore_HangsThenGivesNoAnswer_AndLeavesNoBinding()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:Timeout:Rate=1", "Faults:Timeout:Mode=before", "Faults:Timeout:HangMs=1000");
        using var http = FreshConnectionClient(sim, TimeSpan.FromSeconds(10));

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<HttpRequestException>(() => Bind(sim, http));
        watch.Stop();

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"gave up after {watch.Elapsed}");
        Assert.Empty(await sim.BindingsAsync());
        Assert.Equal(1, (await StatusAsync(sim)).GetProperty("counters").GetProperty("BindAxb").GetProperty("timeout:before").GetInt64());
    }

    [Fact]
    public async Task TimeoutAfter_AppliesTheAction_ButTheCallerGetsNoAnswer()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:Timeout:Rate=1", "Faults:Timeout:Mode=after", "Faults:Timeout:HangMs=10000");
        using var http = FreshConnectionClient(sim, TimeSpan.FromSeconds(1));

        // The client gives up first (its timeout), and the simulator stops hanging when it goes away.
        await Assert.ThrowsAsync<TaskCanceledException>(() => Bind(sim, http));

        Assert.Single(await sim.BindingsAsync());
        Assert.Equal(1, (await StatusAsync(sim)).GetProperty("counters").GetProperty("BindAxb").GetProperty("timeout:after").GetInt64());
    }

    [Fact]
    public async Task AnswerDelay_AppliesTheActionFirst_SoACallerThatGivesUpLeavesItMade()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:AnswerDelayMs=10000");
        using var http = FreshConnectionClient(sim, TimeSpan.FromSeconds(1));

        // The answer waits after the bind was applied; the client gives up first, the binding stays.
        await Assert.ThrowsAsync<TaskCanceledException>(() => Bind(sim, http));

        Assert.Single(await sim.BindingsAsync());
    }

    [Fact]
    public async Task AnswerDelay_DelaysTheAnsweredResult()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:AnswerDelayMs=300");

        var watch = Stopwatch.StartNew();
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());
        watch.Stop();

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered in {watch.Elapsed}");
        Assert.Equal("OK", (await sim.UnbindAsync(subsId, x)).Code);
    }

    [Fact]
    public async Task DropAfter_AppliesTheAction_AndAbortsTheConnection()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:Drop:Rate=1", "Faults:Drop:Mode=after");
        using var http = FreshConnectionClient(sim, TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<HttpRequestException>(() => Bind(sim, http));

        Assert.Single(await sim.BindingsAsync());
        Assert.Equal(1, (await StatusAsync(sim)).GetProperty("counters").GetProperty("BindAxb").GetProperty("drop:after").GetInt64());
    }

    [Fact]
    public async Task DropBefore_AbortsTheConnection_AndLeavesNoBinding()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:Drop:Rate=1");
        using var http = FreshConnectionClient(sim, TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<HttpRequestException>(() => Bind(sim, http));

        Assert.Empty(await sim.BindingsAsync());
    }

    [Fact]
    public async Task AtRunTime_PutChangesTheBehaviour_GetShowsIt_AndDeleteClearsIt()
    {
        await using var sim = await RunningSimulator.StartAsync();
        Assert.Equal("OK", (await sim.BindAsync(TestPhones.Next(), TestPhones.Next())).Code);

        var put = await PutAsync(sim, """{"faults": {"actions": ["BindAxb"], "errorRates": {"isp.SYSTEM_ERROR": 1}, "drop": {"rate": 0, "mode": "after"}}}""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("isp.SYSTEM_ERROR", (await sim.BindAsync(TestPhones.Next(), TestPhones.Next())).Code);

        var status = await StatusAsync(sim);
        Assert.Equal(1.0, status.GetProperty("faults").GetProperty("errorRates").GetProperty("isp.SYSTEM_ERROR").GetDouble());
        Assert.Equal("BindAxb", status.GetProperty("faults").GetProperty("actions")[0].GetString());
        Assert.Equal("after", status.GetProperty("faults").GetProperty("drop").GetProperty("mode").GetString());
        Assert.Equal(30_000, status.GetProperty("faults").GetProperty("timeout").GetProperty("hangMs").GetInt32());
        Assert.False(status.GetProperty("throttling").GetProperty("enabled").GetBoolean());
        Assert.Equal(42, status.GetProperty("seed").GetInt32());
        Assert.Equal(1, status.GetProperty("counters").GetProperty("BindAxb").GetProperty("error:isp.SYSTEM_ERROR").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await sim.Http.DeleteAsync("/_sim/faults")).StatusCode);
        Assert.Equal("OK", (await sim.BindAsync(TestPhones.Next(), TestPhones.Next())).Code);
        var cleared = await StatusAsync(sim);
        Assert.Empty(cleared.GetProperty("counters").EnumerateObject());
        Assert.Empty(cleared.GetProperty("faults").GetProperty("errorRates").EnumerateObject());
        Assert.Equal(2, (await sim.BindingsAsync()).Length);
    }

    [Fact]
    public async Task Put_WithRatesAddingUpToMoreThanOne_Is400_AndChangesNothing()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var put = await PutAsync(sim, """{"faults": {"errorRates": {"InternalError": 0.7}, "timeout": {"rate": 0.5}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("at most 1", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("isv.SUBS_NOT_EXIST", (await sim.QueryAsync(UnknownSubsId, SomeX)).Code);
    }

    [Theory]
    [InlineData("Faults:ErrorRates:InternalError=1.5", "Simulator:Faults:ErrorRates:InternalError")]
    [InlineData("Faults:Drop:Rate=-0.1", "Simulator:Faults:Drop:Rate")]
    [InlineData("Faults:LatencyMs=-1", "Simulator:Faults:LatencyMs")]
    public async Task InvalidSettings_StopTheSimulatorAtStart_NamingTheKey(string setting, string key)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningSimulator.StartAsync(setting));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RatesAddingUpToMoreThanOne_StopTheSimulatorAtStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => RunningSimulator.StartAsync("Faults:ErrorRates:InternalError=0.6", "Faults:Drop:Rate=0.6"));

        Assert.Contains("at most 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlEndpoints_AreNeverSubjectToFaults()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:Drop:Rate=1", "Faults:LatencyMs=2000", "Throttling:Enabled=true", "Throttling:Limits:BindAxb=1");
        sim.Http.Timeout = TimeSpan.FromSeconds(1.5);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await sim.Http.GetAsync("/_sim/bindings")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await sim.Http.GetAsync("/_sim/numbers")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await sim.Http.GetAsync("/_sim/faults")).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await sim.Http.PostAsync("/_sim/reset", null)).StatusCode);
        }

        Assert.Empty((await StatusAsync(sim)).GetProperty("counters").EnumerateObject());
    }

    [Fact]
    public async Task EachInjectedFault_IsLoggedOnce_WithActionKindAndRequestId_AndNoPhoneNumber()
    {
        await using var sim = await RunningSimulator.StartAsync("Faults:ErrorRates:Throttling.User=1", "Faults:LatencyMs=1");
        var (a, b) = (TestPhones.Next(), TestPhones.Next());

        var answer = await sim.Pop.GetAsync(
            "BindAxb", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", a), ("PhoneNoB", b), ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))));

        var lines = sim.Logs.Entries.Where(l => l.EventId == 9190 && l.Values["RequestId"] == answer.RequestId).ToList();
        Assert.Equal(["error:Throttling.User", "latency"], lines.Select(l => l.Values["FaultKind"]).Order(StringComparer.Ordinal));
        Assert.All(lines, l => Assert.Equal("BindAxb", l.Values["Action"]));
        var everything = string.Join('\n', sim.Logs.Entries.Select(l => l.Message + " " + string.Join(' ', l.Values.Values)));
        Assert.DoesNotContain(a, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(b, everything, StringComparison.Ordinal);
    }

    /// <summary>
    /// A client with its own timeout that opens a new connection per request, so that each interrupted call meets
    /// the fault on its own connection (an idle pooled connection closed cleanly may be retried by .NET's handler).
    /// </summary>
    private static HttpClient FreshConnectionClient(RunningSimulator sim, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = sim.BaseAddress, Timeout = timeout };
        http.DefaultRequestHeaders.ConnectionClose = true;
        return http;
    }

    private static Task<PopResponse> Bind(RunningSimulator sim, HttpClient http) =>
        new PopTestClient(http, sim.Clock).PostAsync(
            "BindAxb",
            ("PoolKey", RunningSimulator.PoolKey),
            ("PhoneNoA", TestPhones.Next()),
            ("PhoneNoB", TestPhones.Next()),
            ("Expiration", sim.ChinaTime(TimeSpan.FromHours(2))));

    private static async Task<List<string?>> RunAsync(RunningSimulator sim, int calls)
    {
        var codes = new List<string?>(calls);
        for (var i = 0; i < calls; i++)
        {
            codes.Add((await sim.QueryAsync(UnknownSubsId, SomeX)).Code);
        }

        return codes;
    }

    private static async Task<JsonElement> StatusAsync(RunningSimulator sim) => await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/faults");

    private static async Task<HttpResponseMessage> PutAsync(RunningSimulator sim, string json) =>
        await sim.Http.PutAsync("/_sim/faults", new StringContent(json, Encoding.UTF8, "application/json"));
}
