using BindingService.Application.Abstractions;
using BindingService.Contract.Tests.Support;
using BindingService.Infrastructure.Aliyun;

namespace BindingService.Contract.Tests.Contract;

/// <summary>The AXG group actions (docs/provider-rules.md R-GRP-1..5) through our client against the simulator.</summary>
public sealed class GroupsContractTests(ContractSimulator sim) : IClassFixture<ContractSimulator>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    [Contract("CreateAxgGroup", ContractCheck.Success)]
    public async Task CreateAxgGroup_CreatesAGroupWithItsNameRemarkAndNumbers()
    {
        var (n1, n2) = (TestPhones.Next(), TestPhones.Next());
        var name = "contract-" + Guid.NewGuid().ToString("N")[..8];

        var created = ProviderAssert.Succeeds(await sim.Dyplsapi.CreateAxgGroupAsync(
            new CreateAxgGroupRequest { PoolKey = SimulatorProcess.AxgPool, Name = name, Remark = "测试用分组", Numbers = [n1, n2] }, None));

        // R-GRP-1: GroupId is a Long (a 13-digit id in the documents' example).
        Assert.Equal("OK", created.Code);
        var groupId = Assert.IsType<long>(created.GroupId);
        Assert.True(groupId > 0);
        var group = (await sim.Control.GroupsAsync()).Single(g => g.GroupId == groupId);
        Assert.Equal((SimulatorProcess.AxgPool, name, "测试用分组"), (group.PoolKey, group.Name, group.Remark));
        PhoneAssert.SetEqual([n1, n2], group.Numbers);

        // R-GRP-1: without a Name, the group is named after its GroupId; it may be created empty.
        var unnamed = ProviderAssert.Succeeds(await sim.Dyplsapi.CreateAxgGroupAsync(new CreateAxgGroupRequest { PoolKey = SimulatorProcess.AxgPool }, None));
        var stored = (await sim.Control.GroupsAsync()).Single(g => g.GroupId == unnamed.GroupId);
        Assert.Equal(unnamed.GroupId.ToString(), stored.Name);
        Assert.Empty(stored.Numbers);
    }

    [Fact]
    [Contract("CreateAxgGroup", ContractCheck.Error)]
    public async Task CreateAxgGroup_InAPoolThatIsNotAxg_IsForbidden_AndCreatesNothing()
    {
        // R-GRP-3: createAxgGroup when the pool is not AXG.
        var result = await sim.Dyplsapi.CreateAxgGroupAsync(new CreateAxgGroupRequest { PoolKey = SimulatorProcess.AxbPool, Numbers = [TestPhones.Next()] }, None);

        ProviderAssert.Fails(result, "isv.FORBIDDEN_ACTION", ProviderErrorKind.Forbidden);
        Assert.DoesNotContain(SimulatorProcess.AxbPool, (await sim.Control.GroupsAsync()).Select(g => g.PoolKey));
    }

    [Fact]
    [Contract("OperateAxgGroup", ContractCheck.Success)]
    public async Task OperateAxgGroup_AddsDeletesAndOverwritesTheGroupsNumbers()
    {
        var (n1, n2, n3, n4) = (TestPhones.Next(), TestPhones.Next(), TestPhones.Next(), TestPhones.Next());
        var groupId = ProviderAssert.Succeeds(await sim.Dyplsapi.CreateAxgGroupAsync(
            new CreateAxgGroupRequest { PoolKey = SimulatorProcess.AxgPool, Numbers = [n1] }, None)).GroupId!.Value;

        // R-GRP-4: addNumbers, deleteNumbers, overwriteNumbers (all members replaced).
        await OperateAsync(groupId, AxgGroupOperations.AddNumbers, n2, n3);
        PhoneAssert.SetEqual([n1, n2, n3], await MembersAsync(groupId));

        await OperateAsync(groupId, AxgGroupOperations.DeleteNumbers, n1);
        PhoneAssert.SetEqual([n2, n3], await MembersAsync(groupId));

        await OperateAsync(groupId, AxgGroupOperations.OverwriteNumbers, n4);
        PhoneAssert.SetEqual([n4], await MembersAsync(groupId));
    }

    [Fact]
    [Contract("OperateAxgGroup", ContractCheck.Error)]
    public async Task OperateAxgGroup_OnAnUnknownGroup_IsAnInvalidParameter()
    {
        var number = TestPhones.Next();

        var result = await sim.Dyplsapi.OperateAxgGroupAsync(
            new OperateAxgGroupRequest { PoolKey = SimulatorProcess.AxgPool, GroupId = 1, OperateType = AxgGroupOperations.AddNumbers, Numbers = [number] }, None);

        ProviderAssert.Fails(result, "isv.INVALID_PARAMETERS", ProviderErrorKind.InvalidRequest);
        Assert.DoesNotContain(number, (await sim.Control.GroupsAsync()).SelectMany(g => g.Numbers));
    }

    private async Task OperateAsync(long groupId, string operation, params string[] numbers)
    {
        var answer = ProviderAssert.Succeeds(await sim.Dyplsapi.OperateAxgGroupAsync(
            new OperateAxgGroupRequest { PoolKey = SimulatorProcess.AxgPool, GroupId = groupId, OperateType = operation, Numbers = numbers }, None));
        Assert.Equal("OK", answer.Code);
    }

    private async Task<IReadOnlyList<string>> MembersAsync(long groupId) =>
        (await sim.Control.GroupsAsync()).Single(g => g.GroupId == groupId).Numbers;
}
