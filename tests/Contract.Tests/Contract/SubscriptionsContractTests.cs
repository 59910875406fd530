using BindingService.Application.Abstractions;
using BindingService.Contract.Tests.Support;
using BindingService.Infrastructure.Aliyun;

namespace BindingService.Contract.Tests.Contract;

/// <summary>Changing, ending and reading bindings (docs/provider-rules.md R-UPD-*, R-UNB-*, R-QRY-1..2) through our client against the simulator.</summary>
public sealed class SubscriptionsContractTests(ContractSimulator sim) : IClassFixture<ContractSimulator>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    [Contract("UpdateSubscription", ContractCheck.Success)]
    public async Task UpdateSubscription_ChangesB_TheRestriction_AndTheExpiry()
    {
        var (subsId, x, _, _) = await sim.BindAxbAsync();
        var (newB, newExpiry) = (TestPhones.Next(), ChinaTimes.InHours(5));
        var update = new UpdateSubscriptionRequest { PoolKey = SimulatorProcess.AxbPool, SubsId = subsId, PhoneNoX = x, OperateType = SubscriptionOperations.UpdateNoB, PhoneNoB = newB };

        Assert.Equal("OK", ProviderAssert.Succeeds(await sim.Dyplsapi.UpdateSubscriptionAsync(update, None)).Code);
        PhoneAssert.Equal(newB, (await sim.Control.BindingAsync(subsId))!.PhoneNoB);

        ProviderAssert.Succeeds(await sim.Dyplsapi.UpdateSubscriptionAsync(
            update with { OperateType = SubscriptionOperations.UpdateCallRestrict, PhoneNoB = null, CallRestrict = CallRestricts.BxDisable }, None));
        Assert.Equal(CallRestricts.BxDisable, (await DetailAsync(subsId, x)).CallRestrict);

        // R-UPD-2: CONTROL_CLEAR_DISABLE clears it, and the detail then omits CallRestrict.
        ProviderAssert.Succeeds(await sim.Dyplsapi.UpdateSubscriptionAsync(
            update with { OperateType = SubscriptionOperations.UpdateCallRestrict, PhoneNoB = null, CallRestrict = CallRestricts.Clear }, None));
        Assert.Null((await DetailAsync(subsId, x)).CallRestrict);

        ProviderAssert.Succeeds(await sim.Dyplsapi.UpdateSubscriptionAsync(
            update with { OperateType = SubscriptionOperations.UpdateExpire, PhoneNoB = null, Expiration = newExpiry }, None));
        Assert.Equal(ChinaTimes.Text(newExpiry), (await DetailAsync(subsId, x)).ExpireDate);
        Assert.Equal(newExpiry, (await sim.Control.BindingAsync(subsId))!.Expiration);
    }

    [Fact]
    [Contract("UpdateSubscription", ContractCheck.Error)]
    public async Task UpdateSubscription_OfAnUnknownSubsId_IsSubsNotExist()
    {
        var (_, x, _, b) = await sim.BindAxbAsync();

        // R-UPD-1: a SubsId that does not exist (or does not match X and the pool).
        var result = await sim.Dyplsapi.UpdateSubscriptionAsync(
            new UpdateSubscriptionRequest
            {
                PoolKey = SimulatorProcess.AxbPool, SubsId = "1000000799999999", PhoneNoX = x, OperateType = SubscriptionOperations.UpdateNoB, PhoneNoB = TestPhones.Next(),
            },
            None);

        ProviderAssert.Fails(result, "isv.SUBS_NOT_EXIST", ProviderErrorKind.SubscriptionNotFound);
        Assert.True((await sim.Control.BindingsAsync()).Any(v => v.SecretNo == x && v.PhoneNoB == b), "The binding on X keeps its B.");
    }

    [Fact]
    [Contract("UnbindSubscription", ContractCheck.Success)]
    public async Task UnbindSubscription_RemovesTheBinding_FromTheProviderAndFromX()
    {
        var (subsId, x, _, _) = await sim.BindAxbAsync();

        var unbound = ProviderAssert.Succeeds(await sim.Dyplsapi.UnbindSubscriptionAsync(
            new UnbindSubscriptionRequest { PoolKey = SimulatorProcess.AxbPool, SubsId = subsId, SecretNo = x }, None));

        // R-UNB-1: ChargeId is deprecated; sent as the boolean true (T52), our client reads it as text.
        Assert.Equal("OK", unbound.Code);
        Assert.Equal("true", unbound.ChargeId, ignoreCase: true);
        Assert.Null(await sim.Control.BindingAsync(subsId));
        var onX = ProviderAssert.Succeeds(await sim.Dyplsapi.QuerySubsIdAsync(new QuerySubsIdRequest { PoolKey = SimulatorProcess.AxbPool, PhoneNoX = x }, None));
        Assert.DoesNotContain(subsId, onX.SubsIds);
    }

    [Fact]
    [Contract("UnbindSubscription", ContractCheck.Error)]
    public async Task UnbindSubscription_Twice_IsSubsNotExist()
    {
        var (subsId, x, _, _) = await sim.BindAxbAsync();
        var unbind = new UnbindSubscriptionRequest { PoolKey = SimulatorProcess.AxbPool, SubsId = subsId, SecretNo = x };
        ProviderAssert.Succeeds(await sim.Dyplsapi.UnbindSubscriptionAsync(unbind, None));

        ProviderAssert.Fails(await sim.Dyplsapi.UnbindSubscriptionAsync(unbind, None), "isv.SUBS_NOT_EXIST", ProviderErrorKind.SubscriptionNotFound);
    }

    [Fact]
    [Contract("QuerySubscriptionDetail", ContractCheck.Success)]
    public async Task QuerySubscriptionDetail_EchoesTheStoredBinding()
    {
        var (a, b, expiry) = (TestPhones.Next(), TestPhones.Next(), ChinaTimes.InHours(4));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var bound = ProviderAssert.Succeeds(await sim.Dyplsapi.BindAxbAsync(
            new BindAxbRequest
            {
                PoolKey = SimulatorProcess.AxbPool, PhoneNoA = a, PhoneNoB = b, Expiration = expiry, IsRecordingEnabled = true, ASRStatus = true,
                ASRModelId = "7ee372834d2f4cc7ac0d0ab", CallRestrict = CallRestricts.AxDisable,
            },
            None)).SecretBindDTO!;

        var detail = await DetailAsync(bound.SubsId!, bound.SecretNo!);

        // R-QRY-1: the stored binding, typed as documented (T55: numbers as strings; Status a Long).
        Assert.Equal(bound.SubsId, detail.SubsId);
        PhoneAssert.Equal(a, detail.PhoneNoA);
        PhoneAssert.Equal(b, detail.PhoneNoB);
        PhoneAssert.Equal(bound.SecretNo, detail.PhoneNoX);
        Assert.Equal(1, detail.Status);
        Assert.Equal((true, true, "7ee372834d2f4cc7ac0d0ab"), (detail.NeedRecord, detail.ASRStatus, detail.ASRModelId));
        Assert.Equal(CallRestricts.AxDisable, detail.CallRestrict);
        Assert.Equal(ChinaTimes.Text(expiry), detail.ExpireDate);
        var created = ChinaTimes.Parse(detail.GmtCreate);
        Assert.InRange(created, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null(detail.GroupId); // AXG only
    }

    [Fact]
    [Contract("QuerySubscriptionDetail", ContractCheck.Error)]
    public async Task QuerySubscriptionDetail_WithAnotherX_IsSubsNotExist()
    {
        var (subsId, x, _, _) = await sim.BindAxbAsync();
        var otherX = x == "17000000001" ? "17000000002" : "17000000001";

        var result = await sim.Dyplsapi.QuerySubscriptionDetailAsync(
            new QuerySubscriptionDetailRequest { PoolKey = SimulatorProcess.AxbPool, SubsId = subsId, PhoneNoX = otherX }, None);

        ProviderAssert.Fails(result, "isv.SUBS_NOT_EXIST", ProviderErrorKind.SubscriptionNotFound);
    }

    [Fact]
    [Contract("QuerySubsId", ContractCheck.Success)]
    public async Task QuerySubsId_ListsEveryBindingOnX_InCreationOrder()
    {
        const string x = "17000000020";
        var (first, _, _, _) = await sim.BindAxbAsync(phoneNoX: x);
        var (second, _, _, _) = await sim.BindAxbAsync(phoneNoX: x);

        var onX = ProviderAssert.Succeeds(await sim.Dyplsapi.QuerySubsIdAsync(new QuerySubsIdRequest { PoolKey = SimulatorProcess.AxbPool, PhoneNoX = x }, None));

        // R-QRY-2: one comma-separated string of SubsIds (T57); our client splits it.
        Assert.Equal("OK", onX.Code);
        Assert.Equal(onX.SubsId, string.Join(",", onX.SubsIds));
        Assert.All(onX.SubsIds, id => Assert.Matches("^[0-9]{16}$", id));
        var ids = onX.SubsIds.ToList();
        Assert.True(ids.IndexOf(first) >= 0 && ids.IndexOf(first) < ids.IndexOf(second), "Both bindings are listed, in creation order.");
    }

    [Fact]
    [Contract("QuerySubsId", ContractCheck.Error)]
    public async Task QuerySubsId_OfANumberNotInThePool_IsNoNotExist()
    {
        var result = await sim.Dyplsapi.QuerySubsIdAsync(new QuerySubsIdRequest { PoolKey = SimulatorProcess.AxbPool, PhoneNoX = "17999999999" }, None);

        ProviderAssert.Fails(result, "isv.NO_NOT_EXIST", ProviderErrorKind.Forbidden);
    }

    private async Task<SecretBindDetailDto> DetailAsync(string subsId, string x)
    {
        var answer = ProviderAssert.Succeeds(await sim.Dyplsapi.QuerySubscriptionDetailAsync(
            new QuerySubscriptionDetailRequest { PoolKey = SimulatorProcess.AxbPool, SubsId = subsId, PhoneNoX = x }, None));
        return Assert.IsType<SecretBindDetailDto>(answer.SecretBindDetailDTO);
    }
}
