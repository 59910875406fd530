using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BindingService.AliyunSimulator.Faults;
using BindingService.AliyunSimulator.Tests.Support;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>Per-action throttling at the documented QPS (docs/provider-rules.md R-QPS-1): off by default, switchable at start-up and at run time.</summary>
public sealed class ThrottlingTests
{
    private const string UnknownSubsId = "1000000799999999";
    private const string SomeX = "17000000001";

    [Fact]
    public async Task On_ABurstAboveTheLimit_IsAnsweredThrottlingUser_InTheGatewayErrorBody()
    {
        await using var sim = await RunningSimulator.StartAsync("Throttling:Enabled=true", "Throttling:Limits:QuerySubscriptionDetail=5");

        // Sent at once, not one after another: a busy 2-core machine serving them one by one might spread 30 calls over
        // several one-second windows and never exceed five in one; concurrently they arrive within one window.
        var watch = Stopwatch.StartNew();
        var answers = (await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => sim.QueryAsync(UnknownSubsId, SomeX)))).ToList();
        watch.Stop();

        // A fresh window lets the first five through; a one-second window can only add five more per second spent.
        Assert.True(answers.Count(a => a.Code == "isv.SUBS_NOT_EXIST") >= 5, "the first five of a fresh window must pass");
        var throttled = answers.Where(a => a.Code == DocumentedLimits.ThrottlingUserCode).ToList();
        var passed = answers.Count(a => a.Code == "isv.SUBS_NOT_EXIST");
        Assert.Equal(30, throttled.Count + passed);
        Assert.NotEmpty(throttled);
        Assert.True(passed <= 5 * ((int)watch.Elapsed.TotalSeconds + 2), $"{passed} calls passed in {watch.Elapsed}");
        var one = throttled[0];
        Assert.Equal(HttpStatusCode.BadRequest, one.Status);
        Assert.Equal("dyplsapi.aliyuncs.com", one.Field("HostId").GetString());
        Assert.Contains("Keyword=Throttling.User", one.Field("Recommend").GetString(), StringComparison.Ordinal);
        Assert.Equal(throttled.Count, (await CountersAsync(sim)).GetProperty("QuerySubscriptionDetail").GetProperty("throttled").GetInt64());
    }

    [Fact]
    public async Task Off_ByDefault_NeverThrottles_EvenWithALimitConfigured()
    {
        await using var sim = await RunningSimulator.StartAsync("Throttling:Limits:QuerySubscriptionDetail=1");

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("isv.SUBS_NOT_EXIST", (await sim.QueryAsync(UnknownSubsId, SomeX)).Code);
        }

        Assert.Empty((await CountersAsync(sim)).EnumerateObject());
    }

    [Fact]
    public async Task SwitchedOnAtRunTime_ThrottledBindsCreateNothing_AndSwitchedOffAgain_AllPass()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var put = await PutAsync(sim, """{"throttling": {"enabled": true, "limits": {"BindAxb": 2}}}""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var binds = new List<PopResponse>();
        for (var i = 0; i < 12; i++)
        {
            binds.Add(await sim.BindAsync(TestPhones.Next(), TestPhones.Next()));
        }

        Assert.Contains(binds, b => b.Code == DocumentedLimits.ThrottlingUserCode);
        Assert.Equal(binds.Count(b => b.Code == "OK"), (await sim.BindingsAsync()).Length);

        Assert.Equal(HttpStatusCode.OK, (await PutAsync(sim, """{"throttling": {"enabled": false}}""")).StatusCode);
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal("OK", (await sim.BindAsync(TestPhones.Next(), TestPhones.Next())).Code);
        }
    }

    [Fact]
    public async Task Limits_ArePerAction_AnotherActionIsNotThrottled()
    {
        await using var sim = await RunningSimulator.StartAsync("Throttling:Enabled=true", "Throttling:Limits:BindAxb=1");
        Assert.Equal("OK", (await sim.BindAsync(TestPhones.Next(), TestPhones.Next())).Code);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("isv.SUBS_NOT_EXIST", (await sim.QueryAsync(UnknownSubsId, SomeX)).Code);
        }
    }

    [Theory]
    [InlineData("QuerySecretNoDetail", "FlowLimited", false)]
    [InlineData("GetTotalPublicUrl", "FlowLimited", false)]
    [InlineData("PhoneNumberEncrypt", "System.LimitControl", false)]
    [InlineData("BindAxb", "Throttling.User", true)]
    [InlineData("UpdateSubscription", "Throttling.User", true)]
    public void ThrottledError_IsTheOneDocumentedForTheAction_With400(string action, string code, bool gatewayShape)
    {
        var error = DocumentedLimits.ThrottledError(action);

        Assert.Equal(code, error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal(gatewayShape, error.GatewayShape);
    }

    [Fact]
    public void DocumentedQps_FollowsRQps1()
    {
        Assert.Equal(5000, DocumentedLimits.Qps["BindAxb"]);
        Assert.Equal(10000, DocumentedLimits.Qps["UpdateSubscription"]);
        Assert.Equal(5000, DocumentedLimits.Qps["QuerySubscriptionDetail"]);
        Assert.Equal(1000, DocumentedLimits.Qps["PhoneNumberEncrypt"]);
        Assert.Equal(500, DocumentedLimits.Qps["LockSecretNo"]);
        Assert.Equal(100, DocumentedLimits.Qps["CreatePickUpWaybillPreQuery"]);
        Assert.False(DocumentedLimits.Qps.ContainsKey("UnbindSubscription"));
    }

    [Fact]
    public async Task ALimitBelowOne_StopsTheSimulatorAtStart_NamingTheKey()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningSimulator.StartAsync("Throttling:Limits:BindAxb=0"));

        Assert.Contains("Simulator:Throttling:Limits:BindAxb", error.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> CountersAsync(RunningSimulator sim) =>
        (await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/faults")).GetProperty("counters");

    private static Task<HttpResponseMessage> PutAsync(RunningSimulator sim, string json) =>
        sim.Http.PutAsync("/_sim/faults", new StringContent(json, Encoding.UTF8, "application/json"));
}
