using BindingService.Application.Abstractions;
using BindingService.Contract.Tests.Support;
using BindingService.Infrastructure.Aliyun;

namespace BindingService.Contract.Tests.Contract;

/// <summary>
/// The X-number inventory (docs/provider-rules.md R-NUM-1..8) through our client against the
/// simulator. Each test buys the numbers it changes, so the tests of the class leave each other's numbers alone;
/// only the stock test counts 武汉, and no other test buys there.
/// </summary>
public sealed class NumbersContractTests(ContractSimulator sim) : IClassFixture<ContractSimulator>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    [Contract("QuerySecretNoDetail", ContractCheck.Success)]
    public async Task QuerySecretNoDetail_ReportsTheNumbersAttributes_AndThatABindingMakesItBound()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var x = await BuyAsync("北京");

        // R-NUM-8; R-NUM-4: a new number is unbound, bought now, with its carrier, province and city.
        var info = await DetailAsync(x);
        Assert.InRange(ChinaTimes.Parse(info.PurchaseTime), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal((2L, "北京市", "北京", 0L, 1L), (info.Vendor, info.Province, info.City, info.SecretStatus, info.CertifyStatus));

        // R-NUM-5, R-BIND-11: a binding in effect makes it bound (1).
        await sim.BindAxbAsync(phoneNoX: x);
        Assert.Equal(1, (await DetailAsync(x)).SecretStatus);
    }

    [Fact]
    [Contract("QuerySecretNoDetail", ContractCheck.Error)]
    public async Task QuerySecretNoDetail_InAnUnknownPool_IsPoolKeyNotExists()
    {
        var result = await sim.Dyplsapi.QuerySecretNoDetailAsync(new QuerySecretNoDetailRequest { PoolKey = "FC999999999999999", SecretNo = "17000000001" }, None);

        ProviderAssert.Fails(result, "isv.POOLKEY_NOT_EXISTS", ProviderErrorKind.PoolNotFound);
    }

    [Fact]
    [Contract("QuerySecretNoRemain", ContractCheck.Success)]
    public async Task QuerySecretNoRemain_CountsTheStockOnSale_ByCityNationwideAndAsAList()
    {
        var wuhan = await RemainAsync("武汉", SecretNoSpecs.VirtualOperator);
        Assert.Equal(("武汉", 20L), (wuhan.City, wuhan.Amount)); // the default stock (NumberDefaults)
        Assert.Null(wuhan.RemainDTOList);

        // A purchase takes one off the stock.
        await BuyAsync("武汉");
        Assert.Equal(19, (await RemainAsync("武汉", SecretNoSpecs.VirtualOperator)).Amount);

        // R-NUM-3: 全国 the total; 全国列表 one entry per city with stock (T67: RemainDTOList.remainDTO[]).
        var total = await RemainAsync("全国", SecretNoSpecs.VirtualOperator);
        var list = await RemainAsync("全国列表", SecretNoSpecs.VirtualOperator);
        Assert.Equal(("全国", "全国列表"), (total.City, list.City));
        var perCity = Assert.IsAssignableFrom<IReadOnlyList<RemainDto>>(list.RemainDTOList);
        Assert.Equal(["北京", "杭州", "武汉"], perCity.Select(r => r.City!).Order(StringComparer.Ordinal));
        Assert.All(perCity, r => Assert.True(r.Amount > 0));
        Assert.Equal(total.Amount, perCity.Sum(r => r.Amount));
        Assert.Equal(19, perCity.Single(r => r.City == "武汉").Amount);

        // SpecId 3: 95 numbers, counted nationwide only (全国通用); a prefix narrows the count.
        Assert.Equal(20, (await RemainAsync("全国通用", SecretNoSpecs.NinetyFive)).Amount);
        Assert.Equal(9, (await RemainAsync("全国通用", SecretNoSpecs.NinetyFive, prefix: "95013500000")).Amount);
    }

    [Fact]
    [Contract("QuerySecretNoRemain", ContractCheck.Error)]
    public async Task QuerySecretNoRemain_Of95NumbersInACity_IsAnInvalidParameter()
    {
        // R-NUM-3: with SpecId 3, City must be 全国通用.
        var result = await sim.Dyplsapi.QuerySecretNoRemainAsync(new QuerySecretNoRemainRequest { City = "杭州", SpecId = SecretNoSpecs.NinetyFive }, None);

        ProviderAssert.Fails(result, "isv.INVALID_PARAMETERS", ProviderErrorKind.InvalidRequest);
    }

    [Fact]
    [Contract("BuySecretNo", ContractCheck.Success)]
    public async Task BuySecretNo_TakesANumberWithThePrefixIntoThePool_UnboundAndSelectable()
    {
        var bought = ProviderAssert.Succeeds(await sim.Dyplsapi.BuySecretNoAsync(
            new BuySecretNoRequest { PoolKey = SimulatorProcess.AxbPool, City = "杭州", SpecId = SecretNoSpecs.VirtualOperator, SecretNo = "1715" }, None));

        // R-NUM-4: one number, matching the prefix, now in the pool.
        var x = Assert.IsType<SecretBuyInfoDto>(bought.SecretBuyInfoDTO).SecretNo;
        PhoneAssert.IsMobile(x);
        Assert.True(x!.StartsWith("1715", StringComparison.Ordinal), $"{PhoneAssert.Mask(x)} does not start with the prefix.");
        await sim.AssertInPoolAsync(SimulatorProcess.AxbPool, x);
        var number = (await sim.Control.NumbersAsync()).Single(n => n.SecretNo == x);
        Assert.Equal(("杭州", false, 0), (number.City, number.Locked, number.ActiveBindings));

        // R-NUM-1: bought numbers can be bound.
        var (subsId, boundX, _, _) = await sim.BindAxbAsync(phoneNoX: x);
        PhoneAssert.Equal(x, boundX);
        Assert.NotNull(await sim.Control.BindingAsync(subsId));
    }

    [Fact]
    [Contract("BuySecretNo", ContractCheck.Error)]
    public async Task BuySecretNo_WithAPrefixNotOnSale_IsNoAvailableNumber()
    {
        var poolSize = (await sim.Control.NumbersAsync()).Count(n => n.PoolKey == SimulatorProcess.AxbPool);

        var result = await sim.Dyplsapi.BuySecretNoAsync(
            new BuySecretNoRequest { PoolKey = SimulatorProcess.AxbPool, City = "杭州", SpecId = SecretNoSpecs.VirtualOperator, SecretNo = "1999" }, None);

        ProviderAssert.Fails(result, "isv.NO_AVAILABLE_NUMBER", ProviderErrorKind.NoNumberAvailable);
        Assert.Equal(poolSize, (await sim.Control.NumbersAsync()).Count(n => n.PoolKey == SimulatorProcess.AxbPool));
    }

    [Fact]
    [Contract("ReleaseSecretNo", ContractCheck.Success)]
    public async Task ReleaseSecretNo_RemovesAnUnboundNumberFromThePool()
    {
        var x = await BuyAsync("北京");

        var released = ProviderAssert.Succeeds(await sim.Dyplsapi.ReleaseSecretNoAsync(new ReleaseSecretNoRequest { PoolKey = SimulatorProcess.AxbPool, SecretNo = x }, None));

        // R-NUM-7: once released, the number is gone.
        Assert.Equal("OK", released.Code);
        Assert.DoesNotContain(true, (await sim.Control.NumbersAsync()).Select(n => n.SecretNo == x));
        ProviderAssert.Fails(
            await sim.Dyplsapi.QuerySecretNoDetailAsync(new QuerySecretNoDetailRequest { PoolKey = SimulatorProcess.AxbPool, SecretNo = x }, None),
            "isv.NO_NOT_EXIST",
            ProviderErrorKind.Forbidden);
    }

    [Fact]
    [Contract("ReleaseSecretNo", ContractCheck.Error)]
    public async Task ReleaseSecretNo_OfANumberWithABinding_IsForbidden_AndKeepsIt()
    {
        var x = await BuyAsync("北京");
        await sim.BindAxbAsync(phoneNoX: x);

        // R-NUM-7: unbind first.
        var result = await sim.Dyplsapi.ReleaseSecretNoAsync(new ReleaseSecretNoRequest { PoolKey = SimulatorProcess.AxbPool, SecretNo = x }, None);

        ProviderAssert.Fails(result, "isv.FORBIDDEN_ACTION", ProviderErrorKind.Forbidden);
        await sim.AssertInPoolAsync(SimulatorProcess.AxbPool, x);
    }

    [Fact]
    [Contract("LockSecretNo", ContractCheck.Success)]
    public async Task LockSecretNo_LocksTheNumber_WhichNewBindingsThenCannotUse()
    {
        var x = await BuyAsync("杭州");

        Assert.Equal("OK", ProviderAssert.Succeeds(await sim.Dyplsapi.LockSecretNoAsync(new LockSecretNoRequest { PoolKey = SimulatorProcess.AxbPool, SecretNo = x }, None)).Code);

        // R-NUM-5/6: locked (2); refused as an explicit X (B.6).
        Assert.True((await sim.Control.NumbersAsync()).Single(n => n.SecretNo == x).Locked);
        Assert.Equal(2, (await DetailAsync(x)).SecretStatus);
        var bind = await sim.Dyplsapi.BindAxbAsync(
            new BindAxbRequest { PoolKey = SimulatorProcess.AxbPool, PhoneNoA = TestPhones.Next(), PhoneNoB = TestPhones.Next(), PhoneNoX = x, Expiration = ChinaTimes.InHours(2) },
            None);
        ProviderAssert.Fails(bind, "isv.FORBIDDEN_ACTION", ProviderErrorKind.Forbidden);
    }

    [Fact]
    [Contract("LockSecretNo", ContractCheck.Error)]
    public async Task LockSecretNo_OfANumberNotInThePool_IsNoNotExist()
    {
        var result = await sim.Dyplsapi.LockSecretNoAsync(new LockSecretNoRequest { PoolKey = SimulatorProcess.AxbPool, SecretNo = "17999999999" }, None);

        ProviderAssert.Fails(result, "isv.NO_NOT_EXIST", ProviderErrorKind.Forbidden);
    }

    [Fact]
    [Contract("UnlockSecretNo", ContractCheck.Success)]
    public async Task UnlockSecretNo_UnlocksTheNumber_WhichBindingsCanUseAgain()
    {
        var x = await BuyAsync("杭州");
        ProviderAssert.Succeeds(await sim.Dyplsapi.LockSecretNoAsync(new LockSecretNoRequest { PoolKey = SimulatorProcess.AxbPool, SecretNo = x }, None));

        Assert.Equal("OK", ProviderAssert.Succeeds(await sim.Dyplsapi.UnlockSecretNoAsync(new UnlockSecretNoRequest { PoolKey = SimulatorProcess.AxbPool, SecretNo = x }, None)).Code);

        Assert.False((await sim.Control.NumbersAsync()).Single(n => n.SecretNo == x).Locked);
        Assert.Equal(0, (await DetailAsync(x)).SecretStatus);
        var (_, boundX, _, _) = await sim.BindAxbAsync(phoneNoX: x);
        PhoneAssert.Equal(x, boundX);
    }

    [Fact]
    [Contract("UnlockSecretNo", ContractCheck.Error)]
    public async Task UnlockSecretNo_OfANumberOfAnotherPool_IsNoNotExist()
    {
        // 17100000001 is a number of the AXN pool, not of the AXB pool.
        var result = await sim.Dyplsapi.UnlockSecretNoAsync(new UnlockSecretNoRequest { PoolKey = SimulatorProcess.AxbPool, SecretNo = "17100000001" }, None);

        ProviderAssert.Fails(result, "isv.NO_NOT_EXIST", ProviderErrorKind.Forbidden);
    }

    private async Task<string> BuyAsync(string city)
    {
        var bought = ProviderAssert.Succeeds(await sim.Dyplsapi.BuySecretNoAsync(
            new BuySecretNoRequest { PoolKey = SimulatorProcess.AxbPool, City = city, SpecId = SecretNoSpecs.VirtualOperator }, None));
        return bought.SecretBuyInfoDTO!.SecretNo!;
    }

    private async Task<SecretNoInfoDto> DetailAsync(string x)
    {
        var answer = ProviderAssert.Succeeds(await sim.Dyplsapi.QuerySecretNoDetailAsync(new QuerySecretNoDetailRequest { PoolKey = SimulatorProcess.AxbPool, SecretNo = x }, None));
        return Assert.IsType<SecretNoInfoDto>(answer.SecretNoInfoDTO);
    }

    private async Task<SecretRemainDto> RemainAsync(string city, long specId, string? prefix = null)
    {
        var answer = ProviderAssert.Succeeds(await sim.Dyplsapi.QuerySecretNoRemainAsync(new QuerySecretNoRemainRequest { City = city, SpecId = specId, SecretNo = prefix }, None));
        return Assert.IsType<SecretRemainDto>(answer.SecretRemainDTO);
    }
}
