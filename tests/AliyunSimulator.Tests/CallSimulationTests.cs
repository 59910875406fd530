using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.AliyunSimulator.Calls;
using BindingService.AliyunSimulator.State;
using BindingService.AliyunSimulator.Tests.Support;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>
/// Call routing (docs/provider-rules.md R-BIND-7): <see cref="CallRouter"/> on its own, and <c>POST /_sim/calls/simulate</c>, which
/// routes a call over the bindings in effect on X and records it for the recording and ASR actions (R-REC-1, R-REC-4).
/// </summary>
public sealed class CallSimulationTests
{
    private const string AxbPool = RunningSimulator.PoolKey;
    private const string Caller = "13900000001";
    private const string A = "13800000001";
    private const string B = "13800000002";
    private const string X = "17000000001";

    private static readonly DateTimeOffset Now = FakeTimeProvider.DefaultStart;

    // ---- CallRouter, pure ----

    [Fact]
    public void Router_Axb_ARingsB_BRingsA_AnyoneElseHasNoBinding()
    {
        var number = Number(Products.Axb, Bind("1", A, B), Bind("2", "13800000003", "13800000004"));

        AssertConnected(Route(A, number), "1", B);
        AssertConnected(Route(B, number), "1", A);
        AssertConnected(Route("13800000004", number), "2", "13800000003");
        var other = Route(Caller, number);
        Assert.Equal(CallOutcome.NoBinding, other.Outcome);
        Assert.Null(other.Binding);
    }

    [Fact]
    public void Router_Axn_AnyNRingsA_ARingsB_OrHasNoRouteWithoutB()
    {
        AssertConnected(Route(Caller, Number(Products.Axn, Bind("1", A, B))), "1", A);
        AssertConnected(Route(B, Number(Products.Axn, Bind("1", A, B))), "1", A);
        AssertConnected(Route(A, Number(Products.Axn, Bind("1", A, B))), "1", B);

        var withoutB = Route(A, Number(Products.Axn, Bind("1", A, null)));
        Assert.Equal(CallOutcome.NoRoute, withoutB.Outcome);
        Assert.Equal("1", withoutB.Binding?.SubsId);
        Assert.Null(withoutB.CalledParty);

        Assert.Equal(CallOutcome.NoBinding, Route(Caller, Number(Products.Axn)).Outcome);
    }

    [Fact]
    public void Router_AxnExtension_XPlusExtensionRingsItsA_AWithoutExtensionRingsTheDefaultB()
    {
        var number = Number(Products.AxnExtension, Bind("1", A, B, extension: "1"), Bind("2", "13800000003", null, extension: "130"));

        AssertConnected(Route(Caller, number, "130"), "2", "13800000003");
        AssertConnected(Route(Caller, number, "1"), "1", A);
        AssertConnected(Route(A, number), "1", B);
        Assert.Equal(CallOutcome.NoRoute, Route("13800000003", number).Outcome);
        Assert.Equal(CallOutcome.NoBinding, Route(Caller, number, "7").Outcome);
        Assert.Equal(CallOutcome.NoBinding, Route(Caller, number).Outcome);
    }

    [Fact]
    public void Router_Axg_GMemberRingsA_ARingsB_OthersAreRestricted()
    {
        var number = Number(Products.Axg, Bind("1", A, B, groupId: 7));
        IReadOnlyCollection<string>? Members(long id) => id == 7 ? [Caller] : null;

        AssertConnected(CallRouter.Route(new CallAttempt(Caller, X, null), number, Members, NotBlocked), "1", A);
        AssertConnected(CallRouter.Route(new CallAttempt(A, X, null), number, Members, NotBlocked), "1", B);
        var outsider = CallRouter.Route(new CallAttempt("13900000009", X, null), number, Members, NotBlocked);
        Assert.Equal(CallOutcome.Restricted, outsider.Outcome);
        Assert.Equal("1", outsider.Binding?.SubsId);

        var withoutB = CallRouter.Route(new CallAttempt(A, X, null), Number(Products.Axg, Bind("1", A, null, groupId: 7)), Members, NotBlocked);
        Assert.Equal(CallOutcome.NoRoute, withoutB.Outcome);
    }

    [Fact]
    public void Router_CallRestrict_AxDisableBlocksA_BxDisableBlocksTheBSide()
    {
        var axDisabled = Number(Products.Axb, Bind("1", A, B, callRestrict: CallRouter.AxDisable));
        Assert.Equal(CallOutcome.Restricted, Route(A, axDisabled).Outcome);
        AssertConnected(Route(B, axDisabled), "1", A);

        var bxDisabled = Number(Products.Axb, Bind("1", A, B, callRestrict: CallRouter.BxDisable));
        Assert.Equal(CallOutcome.Restricted, Route(B, bxDisabled).Outcome);
        AssertConnected(Route(A, bxDisabled), "1", B);

        // AXN: the B side is every N calling towards A.
        var axn = Number(Products.Axn, Bind("1", A, B, callRestrict: CallRouter.BxDisable));
        Assert.Equal(CallOutcome.Restricted, Route(Caller, axn).Outcome);
        AssertConnected(Route(A, axn), "1", B);
    }

    [Fact]
    public void Router_AsksTheBlacklistAboutCallerAndCalledParty_AndAFrozenXRoutesNothing()
    {
        var asked = new List<(string, string)>();
        var number = Number(Products.Axb, Bind("1", A, B));

        var blocked = CallRouter.Route(new CallAttempt(A, X, null), number, _ => null, (caller, callee) =>
        {
            asked.Add((caller, callee));
            return true;
        });

        Assert.Equal(CallOutcome.Blacklisted, blocked.Outcome);
        Assert.Null(blocked.CalledParty);
        Assert.Equal((A, B), Assert.Single(asked));

        var frozen = CallRouter.Route(new CallAttempt(A, X, null), number with { Frozen = true }, _ => null, NotBlocked);
        Assert.Equal(CallOutcome.NoRoute, frozen.Outcome);
        Assert.Null(frozen.Binding);
    }

    // ---- POST /_sim/calls/simulate ----

    [Fact]
    public async Task Axb_ACallsX_ConnectsToB_AndTheRecordingUrlIsThenAvailable()
    {
        // R-BIND-7, R-REC-1: a recording binding records every connected call.
        await using var sim = await RunningSimulator.StartAsync();
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        var (subsId, x) = await sim.BindOkAsync(a, b, ("IsRecordingEnabled", "true"));
        sim.Clock.Advance(TimeSpan.FromMinutes(5));

        var call = await SimulateOk(sim, new { caller = a, calledNo = x });

        Assert.Equal("connected", call.Text("outcome"));
        Assert.Equal(subsId, call.Text("subsId"));
        Assert.Equal(AxbPool, call.Text("poolKey"));
        Assert.Equal(b, call.Text("calledParty"));
        Assert.True(call.GetProperty("recording").GetBoolean());
        Assert.False(call.GetProperty("asr").GetBoolean());
        Assert.Equal(RunningSimulator.ChinaTimeAt(sim.Clock.GetUtcNow()), ChinaCallTime(call));

        var url = await sim.Pop.PostAsync("QueryRecordFileDownloadUrl", ("PoolKey", AxbPool), ("CallId", call.Text("callId")), ("CallTime", ChinaCallTime(call)));
        Assert.Equal("OK", url.Code);
        Assert.Contains($"{subsId}_{call.Text("callId")}", url.Field("DownloadUrl").GetString(), StringComparison.Ordinal);

        var back = await SimulateOk(sim, new { caller = b, calledNo = x });
        Assert.Equal("connected", back.Text("outcome"));
        Assert.Equal(a, back.Text("calledParty"));

        var recorded = await sim.ControlListAsync("/_sim/calls");
        Assert.Equal(2, recorded.Length);
        Assert.Equal(subsId, recorded[0].Text("subsId"));
        Assert.Equal(a, recorded[0].Text("caller"));
        Assert.Equal(b, recorded[0].Text("callee"));
    }

    [Fact]
    public async Task Axb_WithoutRecording_HasNoRecordingUrl()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        var (_, x) = await sim.BindOkAsync(a, b);

        var call = await SimulateOk(sim, new { caller = a, calledNo = x });

        Assert.Equal("connected", call.Text("outcome"));
        Assert.False(call.GetProperty("recording").GetBoolean());
        var url = await sim.Pop.PostAsync("QueryRecordFileDownloadUrl", ("PoolKey", AxbPool), ("CallId", call.Text("callId")), ("CallTime", ChinaCallTime(call)));
        Assert.Equal("isv.FORBIDDEN_ACTION", url.Code);
    }

    [Fact]
    public async Task Asr_IsAvailable_OnlyWhenTheBindingHadAsrStatusOn()
    {
        // R-REC-4.
        await using var sim = await RunningSimulator.StartAsync();
        var (a1, b1, a2, b2) = (TestPhones.Next(), TestPhones.Next(), TestPhones.Next(), TestPhones.Next());
        var (_, x1) = await sim.BindOkAsync(a1, b1, ("ASRStatus", "true"));
        var (_, x2) = await sim.BindOkAsync(a2, b2);

        var withAsr = await SimulateOk(sim, new { caller = b1, calledNo = x1, durationSeconds = 12 });
        var withoutAsr = await SimulateOk(sim, new { caller = b2, calledNo = x2, durationSeconds = 12 });

        Assert.True(withAsr.GetProperty("asr").GetBoolean());
        Assert.False(withoutAsr.GetProperty("asr").GetBoolean());
        var detail = await Asr(sim, withAsr);
        Assert.Equal("OK", detail.Code);
        Assert.Equal(12_000, detail.Field("Data").GetProperty("BizDuration").GetInt64());
        Assert.NotEmpty(detail.Field("Data").GetProperty("Sentences").EnumerateArray());
        Assert.Equal("isv.FORBIDDEN_ACTION", (await Asr(sim, withoutAsr)).Code);
    }

    [Fact]
    public async Task CallRestrict_BlocksAToXWithAxDisable_AndBToXWithBxDisable()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        var (subsId, x) = await sim.BindOkAsync(a, b, ("CallRestrict", "CONTROL_AX_DISABLE"), ("IsRecordingEnabled", "true"));

        var aBlocked = await SimulateOk(sim, new { caller = a, calledNo = x });
        Assert.Equal("restricted", aBlocked.Text("outcome"));
        Assert.Equal(subsId, aBlocked.Text("subsId"));
        Assert.Equal(JsonValueKind.Null, aBlocked.GetProperty("calledParty").ValueKind);
        Assert.False(aBlocked.GetProperty("recording").GetBoolean());
        Assert.Equal("connected", (await SimulateOk(sim, new { caller = b, calledNo = x })).Text("outcome"));

        Assert.Equal("OK", (await sim.UpdateAsync(subsId, x, "updateCallRestrict", ("CallRestrict", "CONTROL_BX_DISABLE"))).Code);
        Assert.Equal("restricted", (await SimulateOk(sim, new { caller = b, calledNo = x })).Text("outcome"));
        Assert.Equal("connected", (await SimulateOk(sim, new { caller = a, calledNo = x })).Text("outcome"));

        Assert.Equal("OK", (await sim.UpdateAsync(subsId, x, "updateCallRestrict", ("CallRestrict", "CONTROL_CLEAR_DISABLE"))).Code);
        Assert.Equal("connected", (await SimulateOk(sim, new { caller = b, calledNo = x })).Text("outcome"));

        // Refused calls are recorded too, with their binding (and without a recording).
        var recorded = await sim.ControlListAsync("/_sim/calls");
        Assert.Equal(5, recorded.Length);
        Assert.All(recorded, c => Assert.Equal(subsId, c.Text("subsId")));
        Assert.False(recorded[0].GetProperty("recording").GetBoolean());
    }

    [Fact]
    public async Task PointToPointBlacklist_WithWayControl_BlocksOneDirectionOnly()
    {
        // R-BLK-2: PHONEA_REJECT on "a:b" blocks b → a and lets a → b through.
        await using var sim = await RunningSimulator.StartAsync();
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        var (subsId, x) = await sim.BindOkAsync(a, b);
        var added = await sim.Pop.PostAsync(
            "AddSecretBlacklist", ("PoolKey", AxbPool), ("BlackNo", $"{a}:{b}"), ("BlackType", "POINT_TO_POINT_BLACK"), ("WayControl", "PHONEA_REJECT"));
        Assert.Equal("OK", added.Code);

        var fromB = await SimulateOk(sim, new { caller = b, calledNo = x });
        Assert.Equal("blacklisted", fromB.Text("outcome"));
        Assert.Equal(subsId, fromB.Text("subsId"));
        Assert.Equal("connected", (await SimulateOk(sim, new { caller = a, calledNo = x })).Text("outcome"));

        Assert.Equal("OK", (await sim.Pop.PostAsync(
            "DeleteSecretBlacklist", ("PoolKey", AxbPool), ("BlackNo", $"{a}:{b}"), ("BlackType", "POINT_TO_POINT_BLACK"))).Code);
        Assert.Equal("connected", (await SimulateOk(sim, new { caller = b, calledNo = x })).Text("outcome"));
    }

    [Fact]
    public async Task PoolBlacklists_BlockTheCall_OperateBlackNoOnAnAxnPool_AndAPartnerGlobalNumber()
    {
        // R-BLK-1: calls from a number on the AXN pool's blacklist are rejected; R-BLK-2: a pool-global number is blocked.
        await using var sim = await RunningSimulator.StartAsync();
        var (a, n, other) = (TestPhones.Next(), TestPhones.Next(), TestPhones.Next());
        var axn = await sim.BindOkInAsync("BindAxn", ProductCalls.AxnPool, a);
        var blackNo = await sim.Pop.PostAsync("OperateBlackNo", ("PoolKey", ProductCalls.AxnPool), ("BlackNo", n), ("OperateType", "AddBlack"));
        Assert.Equal("OK", blackNo.Code);

        Assert.Equal("blacklisted", (await SimulateOk(sim, new { caller = n, calledNo = axn.Text("SecretNo") })).Text("outcome"));
        var allowed = await SimulateOk(sim, new { caller = other, calledNo = axn.Text("SecretNo") });
        Assert.Equal("connected", allowed.Text("outcome"));
        Assert.Equal(a, allowed.Text("calledParty"));

        var (ab, bb) = (TestPhones.Next(), TestPhones.Next());
        var (_, x) = await sim.BindOkAsync(ab, bb);
        var global = await sim.Pop.PostAsync("AddSecretBlacklist", ("PoolKey", AxbPool), ("BlackNo", bb), ("BlackType", "PARTNER_GLOBAL_NUMBER_BLACK"));
        Assert.Equal("OK", global.Code);
        Assert.Equal("blacklisted", (await SimulateOk(sim, new { caller = ab, calledNo = x })).Text("outcome"));
        Assert.Equal("blacklisted", (await SimulateOk(sim, new { caller = bb, calledNo = x })).Text("outcome"));
    }

    [Fact]
    public async Task ACallerWithoutBinding_IsNoBinding_AndRecordedAsAnUnboundCall_AnUnknownXIs404()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (_, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var stranger = await SimulateOk(sim, new { caller = TestPhones.Next(), calledNo = x });

        Assert.Equal("noBinding", stranger.Text("outcome"));
        Assert.Equal(JsonValueKind.Null, stranger.GetProperty("subsId").ValueKind);
        Assert.Equal(JsonValueKind.Null, stranger.GetProperty("calledParty").ValueKind);
        var recorded = Assert.Single(await sim.ControlListAsync("/_sim/calls"));
        Assert.Equal(stranger.Text("callId"), recorded.Text("callId"));
        Assert.Equal(x, recorded.Text("secretNo"));
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("subsId").ValueKind);

        var (status, _) = await Simulate(sim, new { caller = TestPhones.Next(), calledNo = "17999999999" });
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task AnExpiredBinding_NoLongerRoutes_ButACallAtATimeBeforeItsExpiryDoes()
    {
        // R-UNB-2: expired bindings route no call.
        await using var sim = await RunningSimulator.StartAsync();
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        var (subsId, x) = await sim.BindOkAsync(a, b);
        var beforeExpiry = sim.Clock.GetUtcNow().AddHours(1);
        sim.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal("noBinding", (await SimulateOk(sim, new { caller = a, calledNo = x })).Text("outcome"));

        var earlier = await SimulateOk(sim, new { caller = a, calledNo = x, callTime = beforeExpiry.ToString("O", CultureInfo.InvariantCulture) });
        Assert.Equal("connected", earlier.Text("outcome"));
        Assert.Equal(subsId, earlier.Text("subsId"));
        Assert.Equal(RunningSimulator.ChinaTimeAt(beforeExpiry), ChinaCallTime(earlier));

        var beforeBinding = RunningSimulator.ChinaTimeAt(beforeExpiry.AddHours(-2));
        Assert.Equal("noBinding", (await SimulateOk(sim, new { caller = a, calledNo = x, callTime = beforeBinding })).Text("outcome"));
    }

    [Fact]
    public async Task ALockedX_KeepsRouting_AFrozenXRoutesNothing()
    {
        // R-NUM-6: existing bindings on a locked number are unaffected. Frozen: [sim] no call is routed.
        await using var sim = await RunningSimulator.StartAsync();
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        var (_, x) = await sim.BindOkAsync(a, b);

        Assert.Equal("OK", (await sim.Pop.PostAsync("LockSecretNo", ("PoolKey", AxbPool), ("SecretNo", x))).Code);
        Assert.Equal("connected", (await SimulateOk(sim, new { caller = a, calledNo = x })).Text("outcome"));

        using var frozen = await sim.Http.PatchAsJsonAsync($"/_sim/numbers/{x}", new { frozen = true });
        Assert.Equal(HttpStatusCode.OK, frozen.StatusCode);
        var call = await SimulateOk(sim, new { caller = a, calledNo = x });
        Assert.Equal("noRoute", call.Text("outcome"));
        Assert.Equal(JsonValueKind.Null, call.GetProperty("subsId").ValueKind);
    }

    [Fact]
    public async Task AxnExtension_AndAxg_RouteOverHttp()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (a, b, member, outsider) = (TestPhones.Next(), TestPhones.Next(), TestPhones.Next(), TestPhones.Next());
        var ext = await sim.BindOkInAsync("BindAxnExtension", ProductCalls.AxnExtensionPool, a, ("PhoneNoB", b));

        var viaExtension = await SimulateOk(sim, new { caller = outsider, calledNo = ext.Text("SecretNo"), extension = ext.Text("Extension") });
        Assert.Equal("connected", viaExtension.Text("outcome"));
        Assert.Equal(a, viaExtension.Text("calledParty"));
        Assert.Equal(ext.Text("SubsId"), viaExtension.Text("subsId"));
        Assert.Equal(b, (await SimulateOk(sim, new { caller = a, calledNo = ext.Text("SecretNo") })).Text("calledParty"));
        Assert.Equal("noBinding", (await SimulateOk(sim, new { caller = outsider, calledNo = ext.Text("SecretNo"), extension = "999" })).Text("outcome"));

        var groupId = await sim.CreateGroupOkAsync(member);
        var axg = await sim.BindOkInAsync("BindAxg", ProductCalls.AxgPool, a, ("GroupId", groupId.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(a, (await SimulateOk(sim, new { caller = member, calledNo = axg.Text("SecretNo") })).Text("calledParty"));
        var refused = await SimulateOk(sim, new { caller = outsider, calledNo = axg.Text("SecretNo") });
        Assert.Equal("restricted", refused.Text("outcome"));
        Assert.Equal(axg.Text("SubsId"), refused.Text("subsId"));
        Assert.Equal("noRoute", (await SimulateOk(sim, new { caller = a, calledNo = axg.Text("SecretNo") })).Text("outcome"));
    }

    [Fact]
    public async Task EachSimulatedCall_WritesOneLogLine_WithMaskedNumbersOnly()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        var (_, x) = await sim.BindOkAsync(a, b);

        var call = await SimulateOk(sim, new { caller = a, calledNo = x });

        var line = Assert.Single(sim.Logs.Entries, e => e.EventId == 9160);
        Assert.Contains(call.Text("callId"), line.Message, StringComparison.Ordinal);
        Assert.Contains("connected", line.Message, StringComparison.Ordinal);
        foreach (var number in new[] { a, b, x })
        {
            Assert.DoesNotContain(sim.Logs.Entries, e => e.Message.Contains(number, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("{\"calledNo\":\"17000000001\"}")]
    [InlineData("{\"caller\":\"13900000001\",\"calledNo\":\"17000000001\",\"extension\":\"1234\"}")]
    [InlineData("{\"caller\":\"13900000001\",\"calledNo\":\"17000000001\",\"durationSeconds\":-1}")]
    [InlineData("{\"caller\":\"13900000001\",\"calledNo\":\"17000000001\",\"callTime\":\"2026-03-01T10:00:00\"}")]
    [InlineData("{\"caller\":\"139-0000-0001\",\"calledNo\":\"17000000001\"}")]
    public async Task AMalformedBody_Is400_AndRecordsNothing(string body)
    {
        await using var sim = await RunningSimulator.StartAsync();

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await sim.Http.PostAsync("/_sim/calls/simulate", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await sim.ControlListAsync("/_sim/calls"));
    }

    private static CallRoute Route(string caller, RoutableNumber number, string? extension = null) =>
        CallRouter.Route(new CallAttempt(caller, X, extension), number, _ => null, NotBlocked);

    private static bool NotBlocked(string caller, string callee) => false;

    private static RoutableNumber Number(string product, params Binding[] bindings) => new("FC1", product, Frozen: false, bindings);

    private static Binding Bind(string subsId, string a, string? b, string? extension = null, long? groupId = null, string? callRestrict = null) => new()
    {
        SubsId = subsId,
        PoolKey = "FC1",
        Product = Products.Axb,
        SecretNo = X,
        PhoneNoA = a,
        PhoneNoB = b,
        Expiration = Now.AddHours(1),
        CreatedAt = Now,
        Extension = extension,
        GroupId = groupId,
        CallRestrict = callRestrict,
    };

    private static void AssertConnected(CallRoute route, string subsId, string calledParty)
    {
        Assert.Equal(CallOutcome.Connected, route.Outcome);
        Assert.Equal(subsId, route.Binding?.SubsId);
        Assert.Equal(calledParty, route.CalledParty);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Simulate(RunningSimulator sim, object body)
    {
        using var response = await sim.Http.PostAsJsonAsync("/_sim/calls/simulate", body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<JsonElement> SimulateOk(RunningSimulator sim, object body)
    {
        var (status, answer) = await Simulate(sim, body);
        Assert.True(status == HttpStatusCode.OK, $"simulate failed: {(int)status} {answer}");
        return answer;
    }

    /// <summary>The answer's callTime as the recording actions want it: China wall-clock time.</summary>
    private static string ChinaCallTime(JsonElement call) =>
        call.GetProperty("callTime").GetDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static Task<PopResponse> Asr(RunningSimulator sim, JsonElement call) =>
        sim.Pop.PostAsync("GetSecretAsrDetail", ("CallId", call.Text("callId")), ("CallTime", ChinaCallTime(call)), ("PoolKey", AxbPool));
}
