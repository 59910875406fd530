using BindingService.AliyunSimulator.State;
using BindingService.Application.Abstractions;
using BindingService.Contract.Tests.Support;
using BindingService.Infrastructure.Aliyun;

namespace BindingService.Contract.Tests.Contract;

/// <summary>
/// The blacklists (docs/provider-rules.md R-BLK-1..4) through our client against the simulator. No control
/// endpoint lists them, so their effect is read from the simulator's state: its entries and
/// <see cref="SimulatorState.IsCallBlocked"/>, which its call routing uses.
/// </summary>
public sealed class BlacklistsContractTests(ContractSimulator sim) : IClassFixture<ContractSimulator>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    [Contract("OperateBlackNo", ContractCheck.Success)]
    public async Task OperateBlackNo_AddsAndDeletesANumberOnAnAxnPoolsBlacklist()
    {
        var (black, other) = (TestPhones.Next(), TestPhones.Next());
        var add = new OperateBlackNoRequest { PoolKey = SimulatorProcess.AxnPool, BlackNo = black, OperateType = BlackNoOperations.AddBlack, Tips = "spam" };

        Assert.Equal("OK", ProviderAssert.Succeeds(await sim.Dyplsapi.OperateBlackNoAsync(add, None)).Code);

        // R-BLK-1: calls from the number to the pool's X numbers are refused.
        Assert.True(sim.State(s => s.PoolBlackNumbers(SimulatorProcess.AxnPool).Contains(black)));
        Assert.True(sim.State(s => s.IsCallBlocked(SimulatorProcess.AxnPool, black, other)));

        ProviderAssert.Succeeds(await sim.Dyplsapi.OperateBlackNoAsync(add with { OperateType = BlackNoOperations.DeleteBlack }, None));
        Assert.False(sim.State(s => s.IsCallBlocked(SimulatorProcess.AxnPool, black, other)));
    }

    [Fact]
    [Contract("OperateBlackNo", ContractCheck.Error)]
    public async Task OperateBlackNo_OnAnAxbPool_IsForbidden()
    {
        var black = TestPhones.Next();

        // R-BLK-1: AXN, AXN-extension and 95-AXN pools only.
        var result = await sim.Dyplsapi.OperateBlackNoAsync(
            new OperateBlackNoRequest { PoolKey = SimulatorProcess.AxbPool, BlackNo = black, OperateType = BlackNoOperations.AddBlack }, None);

        ProviderAssert.Fails(result, "isv.FORBIDDEN_ACTION", ProviderErrorKind.Forbidden);
        Assert.False(sim.State(s => s.PoolBlackNumbers(SimulatorProcess.AxbPool).Contains(black)));
    }

    [Fact]
    [Contract("AddSecretBlacklist", ContractCheck.Success)]
    public async Task AddSecretBlacklist_PointToPoint_BlocksTheDirectionWayControlNames()
    {
        var (first, second) = (TestPhones.Next(), TestPhones.Next());

        var added = ProviderAssert.Succeeds(await sim.Dyplsapi.AddSecretBlacklistAsync(
            new AddSecretBlacklistRequest
            {
                PoolKey = SimulatorProcess.AxbPool, BlackNo = first + ":" + second, BlackType = BlackTypes.PointToPoint, WayControl = WayControls.PhoneARejects,
                Remark = "黑名单备注",
            },
            None));

        // R-BLK-2: PHONEA_REJECT lets first call second, and blocks second calling first.
        Assert.Equal("OK", added.Code);
        Assert.Equal(1, sim.State(s => s.Blacklist.Count(e =>
            e.PoolKey == SimulatorProcess.AxbPool && e.Type == BlackType.PointToPoint && e.First == first && e.Second == second && e.WayControl == WayControls.PhoneARejects)));
        Assert.True(sim.State(s => s.IsCallBlocked(SimulatorProcess.AxbPool, second, first)));
        Assert.False(sim.State(s => s.IsCallBlocked(SimulatorProcess.AxbPool, first, second)));
    }

    [Fact]
    [Contract("AddSecretBlacklist", ContractCheck.Error)]
    public async Task AddSecretBlacklist_PointToPointWithOneNumber_IsAnInvalidParameter()
    {
        var number = TestPhones.Next();

        // R-BLK-2: a point-to-point BlackNo is first:second.
        var result = await sim.Dyplsapi.AddSecretBlacklistAsync(
            new AddSecretBlacklistRequest { PoolKey = SimulatorProcess.AxbPool, BlackNo = number, BlackType = BlackTypes.PointToPoint }, None);

        ProviderAssert.Fails(result, "isv.INVALID_PARAMETERS", ProviderErrorKind.InvalidRequest);
        Assert.False(sim.State(s => s.Blacklist.Any(e => e.First == number || e.Second == number)));
    }

    [Fact]
    [Contract("DeleteSecretBlacklist", ContractCheck.Success)]
    public async Task DeleteSecretBlacklist_RemovesAPoolWideNumber()
    {
        var (black, other) = (TestPhones.Next(), TestPhones.Next());
        var entry = new AddSecretBlacklistRequest { PoolKey = SimulatorProcess.AxbPool, BlackNo = black, BlackType = BlackTypes.PartnerGlobalNumber };
        ProviderAssert.Succeeds(await sim.Dyplsapi.AddSecretBlacklistAsync(entry, None));
        Assert.True(sim.State(s => s.IsCallBlocked(SimulatorProcess.AxbPool, other, black)));

        var deleted = ProviderAssert.Succeeds(await sim.Dyplsapi.DeleteSecretBlacklistAsync(
            new DeleteSecretBlacklistRequest { PoolKey = SimulatorProcess.AxbPool, BlackNo = black, BlackType = BlackTypes.PartnerGlobalNumber }, None));

        // R-BLK-3: matched by pool, type and number.
        Assert.Equal("OK", deleted.Code);
        Assert.False(sim.State(s => s.Blacklist.Any(e => e.First == black)));
        Assert.False(sim.State(s => s.IsCallBlocked(SimulatorProcess.AxbPool, other, black)));
    }

    [Fact]
    [Contract("DeleteSecretBlacklist", ContractCheck.Error)]
    public async Task DeleteSecretBlacklist_WithAMaskedNumber_IsMobileNumberIllegal_AndDeletesNothing()
    {
        var black = TestPhones.Next();
        ProviderAssert.Succeeds(await sim.Dyplsapi.AddSecretBlacklistAsync(
            new AddSecretBlacklistRequest { PoolKey = SimulatorProcess.AxbPool, BlackNo = black, BlackType = BlackTypes.PartnerGlobalNumber }, None));

        // T69: an asterisk is no wildcard, so a masked number is not a number.
        var result = await sim.Dyplsapi.DeleteSecretBlacklistAsync(
            new DeleteSecretBlacklistRequest { PoolKey = SimulatorProcess.AxbPool, BlackNo = black[..3] + "****" + black[7..], BlackType = BlackTypes.PartnerGlobalNumber }, None);

        ProviderAssert.Fails(result, "isv.MOBILE_NUMBER_ILLEGAL", ProviderErrorKind.PhoneNumberIllegal);
        Assert.True(sim.State(s => s.Blacklist.Any(e => e.First == black)));
    }
}
