using System.Net;
using BindingService.AliyunSimulator.State;
using BindingService.AliyunSimulator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>OperateBlackNo, AddSecretBlacklist and DeleteSecretBlacklist, and what they block (docs/provider-rules.md R-BLK-1..4).</summary>
public sealed class BlacklistTests
{
    private const string AxnPool = "FC300000000000003";
    private const string RamUser = "ram-user";
    private const string RamSecret = "ram-user-secret";

    /// <summary>The default AXB pool, an AXN pool, and a RAM user without blacklist permission.</summary>
    private static readonly string[] Settings =
    [
        "Pools:0:PoolKey=" + RunningSimulator.PoolKey,
        "Pools:0:Generate:Start=17000000001",
        "Pools:0:Generate:Count=5",
        "Pools:0:Generate:Cities:0=北京",
        "Pools:1:PoolKey=" + AxnPool,
        "Pools:1:Product=AXN",
        "Pools:1:Numbers:0:SecretNo=17100000901",
        "Pools:1:Numbers:0:City=杭州",
        "Accounts:0:AccessKeyId=" + PopTestClient.DefaultAccessKeyId,
        "Accounts:0:AccessKeySecret=" + PopTestClient.DefaultSecret,
        "Accounts:1:AccessKeyId=" + RamUser,
        "Accounts:1:AccessKeySecret=" + RamSecret,
        "RamDeniedAccessKeyIds:0=" + RamUser,
    ];

    private static bool Blocked(RunningSimulator sim, string poolKey, string caller, string callee) =>
        sim.Services.GetRequiredService<SimulatorStore>().Transact(s => s.IsCallBlocked(poolKey, caller, callee));

    private static Task<PopResponse> Add(RunningSimulator sim, string blackNo, string blackType, params (string, string)[] extra) =>
        sim.Pop.PostAsync("AddSecretBlacklist", [("PoolKey", RunningSimulator.PoolKey), ("BlackNo", blackNo), ("BlackType", blackType), .. extra]);

    private static Task<PopResponse> Delete(RunningSimulator sim, string blackNo, string blackType, params (string, string)[] extra) =>
        sim.Pop.PostAsync("DeleteSecretBlacklist", [("PoolKey", RunningSimulator.PoolKey), ("BlackNo", blackNo), ("BlackType", blackType), .. extra]);

    [Fact]
    public async Task OperateBlackNo_OnAnAxnPool_BlocksCallsFromTheNumber_UntilDeleted()
    {
        await using var sim = await RunningSimulator.StartAsync(Settings);
        var (black, other) = (TestPhones.Next(), TestPhones.Next());

        var added = await sim.Pop.PostAsync("OperateBlackNo", ("PoolKey", AxnPool), ("BlackNo", black), ("OperateType", "AddBlack"), ("Tips", "spam"));

        Assert.Equal(HttpStatusCode.OK, added.Status);
        Assert.Equal("OK", added.Code);
        Assert.NotNull(added.RequestId);
        Assert.True(Blocked(sim, AxnPool, black, other));
        Assert.False(Blocked(sim, AxnPool, other, black));
        Assert.False(Blocked(sim, RunningSimulator.PoolKey, black, other));

        var deleted = await sim.Pop.PostAsync("OperateBlackNo", ("PoolKey", AxnPool), ("BlackNo", black), ("OperateType", "DeleteBlack"));
        Assert.Equal("OK", deleted.Code);
        Assert.False(Blocked(sim, AxnPool, black, other));
    }

    [Fact]
    public async Task OperateBlackNo_OnAnAxbPool_IsForbidden_AndBadValuesAreRefused()
    {
        // R-BLK-1: AXN, AXN extension and 95 AXN pools only.
        await using var sim = await RunningSimulator.StartAsync(Settings);
        var black = TestPhones.Next();

        var refused = await sim.Pop.PostAsync("OperateBlackNo", ("PoolKey", RunningSimulator.PoolKey), ("BlackNo", black), ("OperateType", "AddBlack"));

        Assert.Equal("isv.FORBIDDEN_ACTION", refused.Code);
        Assert.False(Blocked(sim, RunningSimulator.PoolKey, black, TestPhones.Next()));
        Assert.Equal("isv.INVALID_PARAMETERS", (await sim.Pop.PostAsync("OperateBlackNo", ("PoolKey", AxnPool), ("BlackNo", black), ("OperateType", "addBlack"))).Code);
        Assert.Equal("isv.MOBILE_NUMBER_ILLEGAL", (await sim.Pop.PostAsync("OperateBlackNo", ("PoolKey", AxnPool), ("BlackNo", "150****0000"), ("OperateType", "AddBlack"))).Code);
        Assert.Equal("isv.POOLKEY_NOT_EXISTS", (await sim.Pop.PostAsync("OperateBlackNo", ("PoolKey", "FC999"), ("BlackNo", black), ("OperateType", "AddBlack"))).Code);
    }

    [Theory]
    [InlineData("PHONEA_REJECT", false, true)]
    [InlineData("PHONEB_REJECT", true, false)]
    [InlineData(null, true, true)]
    public async Task PointToPoint_HonoursWayControl(string? wayControl, bool firstToSecondBlocked, bool secondToFirstBlocked)
    {
        // R-BLK-2: PHONEA_REJECT lets first call second but not back; PHONEB_REJECT the reverse; none blocks both.
        await using var sim = await RunningSimulator.StartAsync(Settings);
        var (first, second, third) = (TestPhones.Next(), TestPhones.Next(), TestPhones.Next());
        (string, string)[] extra = wayControl is null ? [("Remark", "黑名单备注")] : [("WayControl", wayControl), ("Remark", "黑名单备注")];

        var added = await Add(sim, $"{first}:{second}", "POINT_TO_POINT_BLACK", extra);

        Assert.Equal("OK", added.Code);
        Assert.Equal(firstToSecondBlocked, Blocked(sim, RunningSimulator.PoolKey, first, second));
        Assert.Equal(secondToFirstBlocked, Blocked(sim, RunningSimulator.PoolKey, second, first));
        Assert.False(Blocked(sim, RunningSimulator.PoolKey, first, third));
        Assert.False(Blocked(sim, AxnPool, first, second));
    }

    [Fact]
    public async Task PartnerGlobal_BlocksTheNumberBothWays_AndDeleteLiftsIt()
    {
        await using var sim = await RunningSimulator.StartAsync(Settings);
        var (black, other) = (TestPhones.Next(), TestPhones.Next());

        Assert.Equal("OK", (await Add(sim, black, "PARTNER_GLOBAL_NUMBER_BLACK")).Code);
        Assert.True(Blocked(sim, RunningSimulator.PoolKey, black, other));
        Assert.True(Blocked(sim, RunningSimulator.PoolKey, other, black));

        Assert.Equal("OK", (await Delete(sim, black, "PARTNER_GLOBAL_NUMBER_BLACK")).Code);
        Assert.False(Blocked(sim, RunningSimulator.PoolKey, black, other));
    }

    [Fact]
    public async Task DeleteSecretBlacklist_WithAWayControl_RemovesOnlyThatDirection()
    {
        // R-BLK-3: matched by pool, type, numbers, and WayControl when given.
        await using var sim = await RunningSimulator.StartAsync(Settings);
        var (first, second) = (TestPhones.Next(), TestPhones.Next());
        await Add(sim, $"{first}:{second}", "POINT_TO_POINT_BLACK", ("WayControl", "PHONEA_REJECT"));
        await Add(sim, $"{first}:{second}", "POINT_TO_POINT_BLACK", ("WayControl", "PHONEB_REJECT"));

        var deleted = await Delete(sim, $"{first}:{second}", "POINT_TO_POINT_BLACK", ("WayControl", "PHONEB_REJECT"));

        Assert.Equal("OK", deleted.Code);
        Assert.False(Blocked(sim, RunningSimulator.PoolKey, first, second));
        Assert.True(Blocked(sim, RunningSimulator.PoolKey, second, first));

        Assert.Equal("OK", (await Delete(sim, $"{first}:{second}", "POINT_TO_POINT_BLACK")).Code);
        Assert.False(Blocked(sim, RunningSimulator.PoolKey, second, first));
    }

    [Fact]
    public async Task AddSecretBlacklist_RefusesMalformedEntries()
    {
        await using var sim = await RunningSimulator.StartAsync(Settings);
        var (first, second) = (TestPhones.Next(), TestPhones.Next());

        Assert.Equal("isv.INVALID_PARAMETERS", (await Add(sim, first, "POINT_TO_POINT_BLACK")).Code);
        Assert.Equal("isv.INVALID_PARAMETERS", (await Add(sim, $"{first}:{second}", "PARTNER_GLOBAL_NUMBER_BLACK")).Code);
        Assert.Equal("isv.INVALID_PARAMETERS", (await Add(sim, $"{first}：{second}", "POINT_TO_POINT_BLACK")).Code);
        Assert.Equal("isv.INVALID_PARAMETERS", (await Add(sim, $"{first}:{second}", "POINT_TO_POINT")).Code);
        Assert.Equal("isv.INVALID_PARAMETERS", (await Add(sim, $"{first}:{second}", "POINT_TO_POINT_BLACK", ("WayControl", "BOTH"))).Code);
        Assert.Equal("isv.MOBILE_NUMBER_ILLEGAL", (await Add(sim, "1825638****:1825248****", "POINT_TO_POINT_BLACK")).Code);
        Assert.Equal("MissingBlackType", (await sim.Pop.PostAsync("AddSecretBlacklist", ("PoolKey", RunningSimulator.PoolKey), ("BlackNo", first))).Code);
        Assert.False(Blocked(sim, RunningSimulator.PoolKey, first, second));
    }

    [Theory]
    [InlineData("AddSecretBlacklist")]
    [InlineData("DeleteSecretBlacklist")]
    public async Task ARamUserWithoutPermission_GetsRamPermissionDenied_Http400(string action)
    {
        // R-BLK-4 / A.1.
        await using var sim = await RunningSimulator.StartAsync(Settings);
        var black = TestPhones.Next();

        var response = await sim.Pop.SendAsync(
            new PopCall(action, ("PoolKey", RunningSimulator.PoolKey), ("BlackNo", black), ("BlackType", "PARTNER_GLOBAL_NUMBER_BLACK"))
            {
                AccessKeyId = RamUser,
                Secret = RamSecret,
            });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("RamPermissionDenied", response.Code);
        Assert.Equal("RAM permission is denied.", response.Message);
        Assert.False(Blocked(sim, RunningSimulator.PoolKey, black, TestPhones.Next()));
    }
}
