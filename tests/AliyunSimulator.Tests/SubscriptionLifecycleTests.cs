using System.Net;
using System.Text.Json;
using BindingService.AliyunSimulator.Tests.Support;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>QuerySubscriptionDetail, UpdateSubscription and UnbindSubscription on AXB bindings (docs/provider-rules.md, 'Actions', 'Changing bindings', 'Ending bindings and their status', 'Queries').</summary>
public sealed class SubscriptionLifecycleTests : IAsyncLifetime
{
    private RunningSimulator sim = null!;

    public async Task InitializeAsync() => sim = await RunningSimulator.StartAsync();

    public async Task DisposeAsync() => await sim.DisposeAsync();

    private async Task<JsonElement> DetailAsync(string subsId, string x)
    {
        var response = await sim.QueryAsync(subsId, x);
        Assert.True(response.Code == "OK", $"QuerySubscriptionDetail failed: {response}");
        return response.Field("SecretBindDetailDTO");
    }

    [Fact]
    public async Task Query_ReturnsTheBinding_WithStringNumbersChinaTimesAndStatus1()
    {
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        var (subsId, x) = await sim.BindOkAsync(a, b, ("IsRecordingEnabled", "true"));

        var response = await sim.QueryAsync(subsId, x);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("OK", response.Code);
        Assert.Equal("OK", response.Message);
        var d = response.Field("SecretBindDetailDTO");
        Assert.Equal(subsId, d.GetProperty("SubsId").GetString());
        Assert.Equal(a, d.GetProperty("PhoneNoA").GetString());
        Assert.Equal(b, d.GetProperty("PhoneNoB").GetString());
        Assert.Equal(x, d.GetProperty("PhoneNoX").GetString());
        Assert.Equal(JsonValueKind.Number, d.GetProperty("Status").ValueKind);
        Assert.Equal(1, d.GetProperty("Status").GetInt64());
        Assert.Equal("2026-03-01 10:00:00", d.GetProperty("GmtCreate").GetString());
        Assert.Equal("2026-03-01 12:00:00", d.GetProperty("ExpireDate").GetString());
        Assert.True(d.GetProperty("NeedRecord").GetBoolean());
        Assert.False(d.GetProperty("ASRStatus").GetBoolean());
        Assert.False(d.TryGetProperty("CallRestrict", out _), "CallRestrict is omitted when none is set");
        Assert.False(d.TryGetProperty("GroupId", out _), "GroupId belongs to AXG");
    }

    [Fact]
    public async Task Query_WithProductTypeInsteadOfPoolKey_FindsTheBinding()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var response = await sim.Pop.PostAsync("QuerySubscriptionDetail", ("ProductType", "AXB_170"), ("SubsId", subsId), ("PhoneNoX", x));

        Assert.Equal("OK", response.Code);
    }

    [Fact]
    public async Task Query_WithoutPoolKeyOrProductType_IsRejectedWith_MissingPoolKey()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var response = await sim.Pop.PostAsync("QuerySubscriptionDetail", ("SubsId", subsId), ("PhoneNoX", x));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("MissingPoolKey", response.Code);
    }

    [Fact]
    public async Task Query_WithoutPhoneNoX_IsRejectedWith_MissingPhoneNoX()
    {
        var (subsId, _) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var response = await sim.Pop.PostAsync("QuerySubscriptionDetail", ("PoolKey", RunningSimulator.PoolKey), ("SubsId", subsId));

        Assert.Equal("MissingPhoneNoX", response.Code);
    }

    [Fact]
    public async Task Query_WithAnXThatIsNotTheBindings_FailsWith_SubsNotExist()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());
        var otherX = x == "17000000001" ? "17000000002" : "17000000001";

        var response = await sim.QueryAsync(subsId, otherX);

        Assert.Equal("isv.SUBS_NOT_EXIST", response.Code);
    }

    [Fact]
    public async Task Query_InAnotherExistingPool_FailsWith_SubsNotExist_AndInAnUnknownPool_WithPoolKeyNotExists()
    {
        await using var twoPools = await RunningSimulator.StartAsync(
            "Pools:0:PoolKey=" + RunningSimulator.PoolKey, "Pools:0:Numbers:0:SecretNo=17000000001", "Pools:0:Numbers:0:City=北京",
            "Pools:1:PoolKey=FC-OTHER", "Pools:1:Numbers:0:SecretNo=17100000001", "Pools:1:Numbers:0:City=北京");
        var (subsId, x) = await twoPools.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var otherPool = await twoPools.QueryAsync(subsId, x, "FC-OTHER");
        var unknownPool = await twoPools.QueryAsync(subsId, x, "FC-NOPE");

        Assert.Equal("isv.SUBS_NOT_EXIST", otherPool.Code);
        Assert.Equal("isv.POOLKEY_NOT_EXISTS", unknownPool.Code);
    }

    [Fact]
    public async Task Query_AfterExpiry_ShowsStatus0_AndTheBindingIsStillListed()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        sim.Clock.Advance(TimeSpan.FromHours(2));
        var atExpiry = await DetailAsync(subsId, x);
        sim.Clock.Advance(TimeSpan.FromDays(3));
        var later = await DetailAsync(subsId, x);

        Assert.Equal(0, atExpiry.GetProperty("Status").GetInt64());
        Assert.Equal(0, later.GetProperty("Status").GetInt64());
        Assert.Equal("2026-03-01 12:00:00", later.GetProperty("ExpireDate").GetString());
        Assert.Equal(0, Assert.Single(await sim.BindingsAsync()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task UpdateNoB_IsReflectedInQuery()
    {
        var (a, newB) = (TestPhones.Next(), TestPhones.Next());
        var (subsId, x) = await sim.BindOkAsync(a, TestPhones.Next());

        var update = await sim.UpdateAsync(subsId, x, "updateNoB", ("PhoneNoB", newB));

        Assert.Equal(HttpStatusCode.OK, update.Status);
        Assert.Equal("OK", update.Code);
        Assert.Equal("OK", update.Message);
        Assert.Matches("^[0-9A-F-]{36}$", update.RequestId);
        var d = await DetailAsync(subsId, x);
        Assert.Equal(newB, d.GetProperty("PhoneNoB").GetString());
        Assert.Equal(a, d.GetProperty("PhoneNoA").GetString());
    }

    [Fact]
    public async Task UpdateNoA_IsReflectedInQuery()
    {
        var newA = TestPhones.Next();
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal("OK", (await sim.UpdateAsync(subsId, x, "updateNoA", ("PhoneNoA", newA))).Code);

        Assert.Equal(newA, (await DetailAsync(subsId, x)).GetProperty("PhoneNoA").GetString());
    }

    [Fact]
    public async Task UpdateNoB_ToANumberAlreadyBoundOnTheSameX_FailsWith_BindConflict()
    {
        var busy = TestPhones.Next();
        await sim.BindOkAsync(busy, TestPhones.Next(), ("PhoneNoX", "17000000007"));
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("PhoneNoX", "17000000007"));
        var before = (await DetailAsync(subsId, x)).GetProperty("PhoneNoB").GetString();

        var update = await sim.UpdateAsync(subsId, x, "updateNoB", ("PhoneNoB", busy));

        Assert.Equal("isv.BIND_CONFLICT", update.Code);
        Assert.Equal(before, (await DetailAsync(subsId, x)).GetProperty("PhoneNoB").GetString());
    }

    [Fact]
    public async Task UpdateNoB_WithAnIllegalNumber_FailsWith_MobileNumberIllegal()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal("isv.MOBILE_NUMBER_ILLEGAL", (await sim.UpdateAsync(subsId, x, "updateNoB", ("PhoneNoB", "139-0013-9000"))).Code);
    }

    [Fact]
    public async Task UpdateNoB_WithoutPhoneNoB_IsRejectedWith_MissingPhoneNoB()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var update = await sim.UpdateAsync(subsId, x, "updateNoB");

        Assert.Equal(HttpStatusCode.BadRequest, update.Status);
        Assert.Equal("MissingPhoneNoB", update.Code);
    }

    [Fact]
    public async Task UpdateExpire_IsReflectedInQuery()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var update = await sim.UpdateAsync(subsId, x, "updateExpire", ("Expiration", "2026-03-02 08:30:00"));

        Assert.Equal("OK", update.Code);
        Assert.Equal("2026-03-02 08:30:00", (await DetailAsync(subsId, x)).GetProperty("ExpireDate").GetString());
        sim.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(1, (await DetailAsync(subsId, x)).GetProperty("Status").GetInt64());
    }

    [Fact]
    public async Task UpdateExpire_NotMoreThanAMinuteAhead_FailsWith_ExpireDateIllegal()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var update = await sim.UpdateAsync(subsId, x, "updateExpire", ("Expiration", sim.ChinaTime(TimeSpan.FromSeconds(30))));

        Assert.Equal("isv.EXPIRE_DATE_ILLEGAL", update.Code);
        Assert.Equal("2026-03-01 12:00:00", (await DetailAsync(subsId, x)).GetProperty("ExpireDate").GetString());
    }

    [Theory]
    [InlineData("updateNoA", "PhoneNoA")]
    [InlineData("updateNoB", "PhoneNoB")]
    [InlineData("updateExpire", "Expiration")]
    public async Task UpdatingPartiesOrExpiry_OfAnExpiredBinding_FailsWith_ForbiddenAction(string operateType, string parameter)
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());
        sim.Clock.Advance(TimeSpan.FromHours(3));
        var value = parameter == "Expiration" ? sim.ChinaTime(TimeSpan.FromHours(1)) : TestPhones.Next();

        var update = await sim.UpdateAsync(subsId, x, operateType, (parameter, value));

        Assert.Equal("isv.FORBIDDEN_ACTION", update.Code);
    }

    [Fact]
    public async Task UpdateCallRestrict_SetsTheRestriction_AndClearDisableRemovesItFromQuery()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal("OK", (await sim.UpdateAsync(subsId, x, "updateCallRestrict", ("CallRestrict", "CONTROL_BX_DISABLE"))).Code);
        var restricted = await DetailAsync(subsId, x);
        Assert.Equal("OK", (await sim.UpdateAsync(subsId, x, "updateCallRestrict", ("CallRestrict", "CONTROL_CLEAR_DISABLE"))).Code);
        var cleared = await DetailAsync(subsId, x);

        Assert.Equal("CONTROL_BX_DISABLE", restricted.GetProperty("CallRestrict").GetString());
        Assert.False(cleared.TryGetProperty("CallRestrict", out _), "CallRestrict is omitted after CONTROL_CLEAR_DISABLE");
        Assert.Equal(JsonValueKind.Null, Assert.Single(await sim.BindingsAsync()).GetProperty("callRestrict").ValueKind);
    }

    [Fact]
    public async Task UpdateCallRestrict_WithAnUnknownValue_FailsWith_InvalidParameters()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal("isv.INVALID_PARAMETERS", (await sim.UpdateAsync(subsId, x, "updateCallRestrict", ("CallRestrict", "CONTROL_AB_DISABLE"))).Code);
    }

    [Fact]
    public async Task UpdateIsRecordingEnabled_IsReflectedInQueryAsNeedRecord()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());
        Assert.False((await DetailAsync(subsId, x)).GetProperty("NeedRecord").GetBoolean());

        Assert.Equal("OK", (await sim.UpdateAsync(subsId, x, "updateIsRecordingEnabled", ("IsRecordingEnabled", "true"))).Code);

        Assert.True((await DetailAsync(subsId, x)).GetProperty("NeedRecord").GetBoolean());
    }

    [Fact]
    public async Task UpdateOutId_AndUpdateCallDisplayType_AreStored()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("OutId", "before"));

        Assert.Equal("OK", (await sim.UpdateAsync(subsId, x, "updateOutId", ("OutId", "after"))).Code);
        Assert.Equal("OK", (await sim.UpdateAsync(subsId, x, "updateCallDisplayType", ("CallDisplayType", "1"))).Code);

        var binding = Assert.Single(await sim.BindingsAsync());
        Assert.Equal("after", binding.GetProperty("outId").GetString());
        Assert.Equal(1, binding.GetProperty("callDisplayType").GetInt32());
    }

    [Fact]
    public async Task Update_AppliesAsrSettingsWhateverTheOperation()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal("OK", (await sim.UpdateAsync(subsId, x, "updateOutId", ("OutId", "o"), ("ASRStatus", "true"), ("ASRModelId", "m-1"))).Code);

        var d = await DetailAsync(subsId, x);
        Assert.True(d.GetProperty("ASRStatus").GetBoolean());
        Assert.Equal("m-1", d.GetProperty("ASRModelId").GetString());
    }

    [Theory]
    [InlineData("updateEverything")]
    [InlineData("UpdateNoB")]
    [InlineData("updateEndDate")]
    public async Task Update_WithAnUnknownOperateType_FailsWith_InvalidParameters(string operateType)
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal("isv.INVALID_PARAMETERS", (await sim.UpdateAsync(subsId, x, operateType, ("PhoneNoB", TestPhones.Next()))).Code);
    }

    [Fact]
    public async Task UpdateAxgGroup_OnAnAxbBinding_FailsWith_ForbiddenAction()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal("isv.FORBIDDEN_ACTION", (await sim.UpdateAsync(subsId, x, "updateAxgGroup", ("GroupId", "2000000000001"))).Code);
    }

    [Fact]
    public async Task Update_OfAnUnknownSubsId_FailsWith_SubsNotExist()
    {
        Assert.Equal("isv.SUBS_NOT_EXIST", (await sim.UpdateAsync("1000000000000009", "17000000001", "updateNoB", ("PhoneNoB", TestPhones.Next()))).Code);
    }

    [Fact]
    public async Task Unbind_AnswersChargeIdTrue_ThenQueryFailsWith_SubsNotExist()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var unbind = await sim.UnbindAsync(subsId, x);
        var query = await sim.QueryAsync(subsId, x);

        Assert.Equal(HttpStatusCode.OK, unbind.Status);
        Assert.Equal("OK", unbind.Code);
        Assert.True(unbind.Field("ChargeId").GetBoolean());
        Assert.Equal("isv.SUBS_NOT_EXIST", query.Code);
        Assert.False(query.Json.TryGetProperty("SecretBindDetailDTO", out _));
        Assert.Empty(await sim.BindingsAsync());
    }

    [Fact]
    public async Task Unbind_Twice_FailsWith_SubsNotExistTheSecondTime()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());
        Assert.Equal("OK", (await sim.UnbindAsync(subsId, x)).Code);

        Assert.Equal("isv.SUBS_NOT_EXIST", (await sim.UnbindAsync(subsId, x)).Code);
    }

    [Fact]
    public async Task Unbind_WithTheWrongSecretNo_FailsWith_SubsNotExist_AndKeepsTheBinding()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var unbind = await sim.UnbindAsync(subsId, x == "17000000001" ? "17000000002" : "17000000001");

        Assert.Equal("isv.SUBS_NOT_EXIST", unbind.Code);
        Assert.Single(await sim.BindingsAsync());
    }

    [Fact]
    public async Task Unbind_WithoutSecretNo_IsRejectedWith_MissingSecretNo()
    {
        var (subsId, _) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var unbind = await sim.Pop.PostAsync("UnbindSubscription", ("PoolKey", RunningSimulator.PoolKey), ("SubsId", subsId));

        Assert.Equal(HttpStatusCode.BadRequest, unbind.Status);
        Assert.Equal("MissingSecretNo", unbind.Code);
    }

    [Fact]
    public async Task Unbind_OfAnExpiredBinding_RemovesIt()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());
        sim.Clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal("OK", (await sim.UnbindAsync(subsId, x)).Code);

        Assert.Empty(await sim.BindingsAsync());
    }
}
