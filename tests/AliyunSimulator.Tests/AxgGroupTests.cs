using System.Globalization;
using BindingService.AliyunSimulator.Tests.Support;
using static BindingService.AliyunSimulator.Tests.Support.ProductCalls;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>CreateAxgGroup and OperateAxgGroup (docs/provider-rules.md R-GRP-1..5).</summary>
public sealed class AxgGroupTests : IAsyncLifetime
{
    private RunningSimulator sim = null!;

    public async Task InitializeAsync() => sim = await RunningSimulator.StartAsync();

    public async Task DisposeAsync() => await sim.DisposeAsync();

    private static string Numbers(int count) => string.Join(',', Enumerable.Range(0, count).Select(i => "139" + i.ToString("D8", CultureInfo.InvariantCulture)));

    private Task<PopResponse> OperateAsync(long groupId, string operateType, string numbers, string poolKey = AxgPool) => sim.Pop.PostAsync(
        "OperateAxgGroup", ("PoolKey", poolKey), ("GroupId", groupId.ToString(CultureInfo.InvariantCulture)), ("OperateType", operateType), ("Numbers", numbers));

    private async Task<string[]> MembersAsync(long groupId) =>
        [.. (await sim.ControlListAsync("/_sim/groups")).Single(g => g.GetProperty("groupId").GetInt64() == groupId)
            .GetProperty("numbers").EnumerateArray().Select(n => n.GetString()!)];

    [Fact]
    public async Task CreateAxgGroup_AnswersALongGroupId_AndTheGroupIsListedWithItsNumbersAndDefaultName()
    {
        var (a, b) = (TestPhones.Next(), TestPhones.Next());

        var response = await sim.Pop.PostAsync("CreateAxgGroup", ("PoolKey", AxgPool), ("Numbers", $"{a},{b},{a}"), ("Remark", "测试用分组"));

        Assert.Equal("OK", response.Code);
        Assert.Equal("OK", response.Message);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, response.Field("GroupId").ValueKind);
        Assert.Equal(2000000000001, response.Field("GroupId").GetInt64());
        var group = Assert.Single(await sim.ControlListAsync("/_sim/groups"));
        Assert.Equal("2000000000001", group.Text("name"));
        Assert.Equal("测试用分组", group.Text("remark"));
        Assert.Equal(AxgPool, group.Text("poolKey"));
        Assert.Equal<string>([a, b], await MembersAsync(2000000000001));
    }

    [Fact]
    public async Task CreateAxgGroup_OnANonAxgPool_FailsWith_ForbiddenAction()
    {
        var response = await sim.Pop.PostAsync("CreateAxgGroup", ("PoolKey", AxnPool), ("Name", "g"));

        Assert.Equal("isv.FORBIDDEN_ACTION", response.Code);
        Assert.Empty(await sim.ControlListAsync("/_sim/groups"));
    }

    [Fact]
    public async Task CreateAxgGroup_With200Numbers_Succeeds_ButWith201_FailsWith_InvalidParameters()
    {
        var ok = await sim.Pop.PostAsync("CreateAxgGroup", ("PoolKey", AxgPool), ("Numbers", Numbers(200)));
        var tooMany = await sim.Pop.PostAsync("CreateAxgGroup", ("PoolKey", AxgPool), ("Numbers", Numbers(201)));

        Assert.Equal("OK", ok.Code);
        Assert.Equal("isv.INVALID_PARAMETERS", tooMany.Code);
    }

    [Fact]
    public async Task CreateAxgGroup_BadNumberOrOverlongName_OrUnknownPool_Fails()
    {
        var badNumber = await sim.Pop.PostAsync("CreateAxgGroup", ("PoolKey", AxgPool), ("Numbers", "13900000000,12 34"));
        var longName = await sim.Pop.PostAsync("CreateAxgGroup", ("PoolKey", AxgPool), ("Name", new string('名', 129)));
        var unknownPool = await sim.Pop.PostAsync("CreateAxgGroup", ("PoolKey", "FC-NOPE"));

        Assert.Equal("isv.MOBILE_NUMBER_ILLEGAL", badNumber.Code);
        Assert.Equal("isv.INVALID_PARAMETERS", longName.Code);
        Assert.Equal("isv.POOLKEY_NOT_EXISTS", unknownPool.Code);
    }

    [Fact]
    public async Task CreateAxgGroup_The2001stGroupOfAPool_FailsWith_ForbiddenAction()
    {
        // R-GRP-2: at most 2000 G groups per pool.
        for (var i = 0; i < 2000; i++)
        {
            var created = await sim.Pop.PostAsync("CreateAxgGroup", ("PoolKey", AxgPool));
            Assert.True(created.Code == "OK", $"group {i + 1}: {created}");
        }

        var response = await sim.Pop.PostAsync("CreateAxgGroup", ("PoolKey", AxgPool));

        Assert.Equal("isv.FORBIDDEN_ACTION", response.Code);
        Assert.Equal(2000, (await sim.ControlListAsync("/_sim/groups")).Length);
    }

    [Fact]
    public async Task OperateAxgGroup_AddsDeletesAndOverwrites()
    {
        var (a, b, c, d) = (TestPhones.Next(), TestPhones.Next(), TestPhones.Next(), TestPhones.Next());
        var groupId = await sim.CreateGroupOkAsync(a);

        var add = await OperateAsync(groupId, "addNumbers", $"{b},{c},{a}");
        var afterAdd = await MembersAsync(groupId);
        var delete = await OperateAsync(groupId, "deleteNumbers", $"{b},{d}");
        var afterDelete = await MembersAsync(groupId);
        var overwrite = await OperateAsync(groupId, "overwriteNumbers", d);

        Assert.All(new[] { add, delete, overwrite }, r => Assert.Equal("OK", r.Code));
        Assert.Equal<string>([a, b, c], afterAdd);
        Assert.Equal<string>([a, c], afterDelete);
        Assert.Equal<string>([d], await MembersAsync(groupId));
    }

    [Fact]
    public async Task OperateAxgGroup_OverwriteNumbers_OfAGroupHoldingMoreThan200_FailsWith_ForbiddenAction_AndKeepsTheGroup()
    {
        // docs/provider-rules.md R-GRP-4: "全量替换号码时，G号码组中原有的号码不能超过200个" — when overwriting, the group's
        // existing numbers may not exceed 200 (not only the new list: that is the per-call limit of Numbers).
        var groupId = await sim.CreateGroupOkAsync(Numbers(200).Split(','));
        Assert.Equal("OK", (await OperateAsync(groupId, "addNumbers", TestPhones.Next())).Code);

        var overwrite = await OperateAsync(groupId, "overwriteNumbers", TestPhones.Next());

        Assert.Equal("isv.FORBIDDEN_ACTION", overwrite.Code);
        Assert.Equal(201, (await MembersAsync(groupId)).Length);
    }

    [Fact]
    public async Task OperateAxgGroup_OverwriteNumbers_OfAGroupHolding200_ReplacesThem()
    {
        // docs/provider-rules.md R-GRP-4: 200 existing numbers is still within the limit.
        var groupId = await sim.CreateGroupOkAsync(Numbers(200).Split(','));
        var replacement = TestPhones.Next();

        var overwrite = await OperateAsync(groupId, "overwriteNumbers", replacement);

        Assert.Equal("OK", overwrite.Code);
        Assert.Equal<string>([replacement], await MembersAsync(groupId));
    }

    [Fact]
    public async Task OperateAxgGroup_MoreThan200Numbers_UnknownGroup_BadOperateType_OrNonAxgPool_Fail()
    {
        var groupId = await sim.CreateGroupOkAsync(TestPhones.Next());

        var tooMany = await OperateAsync(groupId, "addNumbers", Numbers(201));
        var overwriteTooMany = await OperateAsync(groupId, "overwriteNumbers", Numbers(201));
        var unknownGroup = await OperateAsync(groupId + 1000, "addNumbers", TestPhones.Next());
        var badType = await OperateAsync(groupId, "AddNumbers", TestPhones.Next());
        var wrongPool = await OperateAsync(groupId, "addNumbers", TestPhones.Next(), AxnPool);
        var missingNumbers = await sim.Pop.PostAsync(
            "OperateAxgGroup", ("PoolKey", AxgPool), ("GroupId", groupId.ToString(CultureInfo.InvariantCulture)), ("OperateType", "addNumbers"));

        Assert.Equal("isv.INVALID_PARAMETERS", tooMany.Code);
        Assert.Equal("isv.INVALID_PARAMETERS", overwriteTooMany.Code);
        Assert.Equal("isv.INVALID_PARAMETERS", unknownGroup.Code);
        Assert.Equal("isv.INVALID_PARAMETERS", badType.Code);
        Assert.Equal("isv.FORBIDDEN_ACTION", wrongPool.Code);
        Assert.Equal("MissingNumbers", missingNumbers.Code);
        Assert.Single(await MembersAsync(groupId));
    }

    [Fact]
    public async Task OperateAxgGroup_DeletingTheLastNumber_IsAllowed_ButBindAxgThenFails()
    {
        // R-GRP-5: emptying a group is allowed; BindAxg then refuses it (R-BIND-10).
        var a = TestPhones.Next();
        var groupId = await sim.CreateGroupOkAsync(a);
        var id = groupId.ToString(CultureInfo.InvariantCulture);
        Assert.Equal("OK", (await sim.BindInAsync("BindAxg", AxgPool, TestPhones.Next(), ("GroupId", id))).Code);

        var delete = await OperateAsync(groupId, "deleteNumbers", a);
        var bind = await sim.BindInAsync("BindAxg", AxgPool, TestPhones.Next(), ("GroupId", id));

        Assert.Equal("OK", delete.Code);
        Assert.Equal("isv.FORBIDDEN_ACTION", bind.Code);
    }

    [Fact]
    public async Task Reset_ClearsGroups_ButGroupIdsKeepCountingUp()
    {
        var first = await sim.CreateGroupOkAsync();

        Assert.True((await sim.Http.PostAsync("/_sim/reset", null)).IsSuccessStatusCode);
        var second = await sim.CreateGroupOkAsync();

        Assert.Equal(first + 1, second);
        Assert.Single(await sim.ControlListAsync("/_sim/groups"));
    }
}
