using System.Text.Json;
using BindingService.Application.Abstractions;
using BindingService.Contract.Tests.Support;
using BindingService.Infrastructure.Aliyun;

namespace BindingService.Contract.Tests.Contract;

/// <summary>The four bind actions (docs/provider-rules.md R-BIND-1..11) through our client against the simulator.</summary>
public sealed class BindingsContractTests(ContractSimulator sim) : IClassFixture<ContractSimulator>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    [Contract("BindAxb", ContractCheck.Success)]
    public async Task BindAxb_CreatesABindingOnANumberOfThePool_InTheExpectedCity()
    {
        var (a, b, outId, expiry) = (TestPhones.Next(), TestPhones.Next(), NewOutId(), ChinaTimes.InHours(2));

        var bound = ProviderAssert.Succeeds(await sim.Dyplsapi.BindAxbAsync(
            new BindAxbRequest
            {
                PoolKey = SimulatorProcess.AxbPool, PhoneNoA = a, PhoneNoB = b, Expiration = expiry, ExpectCity = "北京", OutId = outId,
                OutOrderId = "order-1", IsRecordingEnabled = true, CallRestrict = CallRestricts.AxDisable, CallTimeout = 10, CallDisplayType = 1,
                RingConfig = new Dictionary<string, string> { ["AXBRing_A"] = "10000001", ["AXBRing_B"] = "10000002" }, ASRStatus = true, ASRModelId = "asr-model-1",
            },
            None));

        // R-BIND-5: SecretBindDTO{SubsId: a new numeric id, SecretNo: the X used}.
        var dto = Assert.IsType<SecretBindDto>(bound.SecretBindDTO);
        Assert.Matches("^[0-9]{16}$", dto.SubsId);
        Assert.Equal("OK", bound.Code);
        Assert.False(string.IsNullOrWhiteSpace(bound.RequestId));
        await sim.AssertInPoolAsync(SimulatorProcess.AxbPool, dto.SecretNo);
        Assert.Equal("北京", (await sim.Control.NumbersAsync()).Single(n => n.SecretNo == dto.SecretNo).City); // R-BIND-4

        var stored = Assert.IsType<AliyunSimulator.Control.BindingView>(await sim.Control.BindingAsync(dto.SubsId!));
        Assert.Equal(("AXB", SimulatorProcess.AxbPool, 1), (stored.Product, stored.PoolKey, stored.Status));
        PhoneAssert.Equal(a, stored.PhoneNoA);
        PhoneAssert.Equal(b, stored.PhoneNoB);
        PhoneAssert.Equal(dto.SecretNo, stored.SecretNo);
        Assert.Equal(expiry, stored.Expiration);
        Assert.Equal((outId, "order-1", true, CallRestricts.AxDisable), (stored.OutId, stored.OutOrderId, stored.NeedRecord, stored.CallRestrict));

        // R-BIND-8/9: the optional settings arrive under their wire names and are stored.
        Assert.Equal((10, 1, true, "asr-model-1"), (stored.CallTimeout, stored.CallDisplayType, stored.AsrStatus, stored.AsrModelId));
        var ring = JsonSerializer.Deserialize<Dictionary<string, string>>(stored.RingConfig!);
        Assert.Equal(("10000001", "10000002"), (ring!["AXBRing_A"], ring["AXBRing_B"]));
    }

    [Fact]
    [Contract("BindAxb", ContractCheck.Error)]
    public async Task BindAxb_WithAnIllegalNumber_IsRefusedAsMobileNumberIllegal_AndCreatesNothing()
    {
        var outId = NewOutId();

        // R-BIND-3: digits only, a mobile is 11 digits starting with 1 (this one has 10).
        var result = await sim.Dyplsapi.BindAxbAsync(
            new BindAxbRequest
            {
                PoolKey = SimulatorProcess.AxbPool, PhoneNoA = TestPhones.Next()[..10], PhoneNoB = TestPhones.Next(), Expiration = ChinaTimes.InHours(2), OutId = outId,
            },
            None);

        ProviderAssert.Fails(result, "isv.MOBILE_NUMBER_ILLEGAL", ProviderErrorKind.PhoneNumberIllegal);
        Assert.DoesNotContain(outId, (await sim.Control.BindingsAsync()).Select(b => b.OutId));
    }

    [Fact]
    [Contract("BindAxn", ContractCheck.Success)]
    public async Task BindAxn_GivesANumberOfTheAxnPool_DedicatedToA()
    {
        var (a, b, expiry) = (TestPhones.Next(), TestPhones.Next(), ChinaTimes.InHours(3));

        var bound = ProviderAssert.Succeeds(await sim.Dyplsapi.BindAxnAsync(
            new BindAxnRequest { PoolKey = SimulatorProcess.AxnPool, PhoneNoA = a, PhoneNoB = b, Expiration = expiry, NoType = "AXB_170" },
            None));

        var dto = bound.SecretBindDTO!;
        Assert.Matches("^[0-9]{16}$", dto.SubsId);
        await sim.AssertInPoolAsync(SimulatorProcess.AxnPool, dto.SecretNo);
        var stored = Assert.IsType<AliyunSimulator.Control.BindingView>(await sim.Control.BindingAsync(dto.SubsId!));
        Assert.Equal(("AXN", SimulatorProcess.AxnPool, 1, expiry), (stored.Product, stored.PoolKey, stored.Status, stored.Expiration));
        PhoneAssert.Equal(a, stored.PhoneNoA);
        PhoneAssert.Equal(b, stored.PhoneNoB);

        // R-BIND-6 (AXN): X carries this one binding only, as QuerySubsId reports.
        var onX = ProviderAssert.Succeeds(await sim.Dyplsapi.QuerySubsIdAsync(
            new QuerySubsIdRequest { PoolKey = SimulatorProcess.AxnPool, PhoneNoX = dto.SecretNo! }, None));
        Assert.Equal([dto.SubsId!], onX.SubsIds);
    }

    [Fact]
    [Contract("BindAxn", ContractCheck.Error)]
    public async Task BindAxn_ExpiringWithinAMinute_IsRefusedAsExpireDateIllegal_AndCreatesNothing()
    {
        var outId = NewOutId();

        // R-BIND-2: the expiry must be more than one minute ahead.
        var result = await sim.Dyplsapi.BindAxnAsync(
            new BindAxnRequest { PoolKey = SimulatorProcess.AxnPool, PhoneNoA = TestPhones.Next(), Expiration = DateTimeOffset.UtcNow.AddSeconds(30), OutId = outId },
            None);

        ProviderAssert.Fails(result, "isv.EXPIRE_DATE_ILLEGAL", ProviderErrorKind.ExpiryIllegal);
        Assert.DoesNotContain(outId, (await sim.Control.BindingsAsync()).Select(b => b.OutId));
    }

    [Fact]
    [Contract("BindAxnExtension", ContractCheck.Success)]
    public async Task BindAxnExtension_WithoutExtension_AllocatesOneOnAnXOfThePool()
    {
        var (a, b) = (TestPhones.Next(), TestPhones.Next());

        var bound = ProviderAssert.Succeeds(await sim.Dyplsapi.BindAxnExtensionAsync(
            new BindAxnExtensionRequest { PoolKey = SimulatorProcess.AxnExtensionPool, PhoneNoA = a, PhoneNoB = b, Expiration = ChinaTimes.InHours(2) },
            None));

        // R-BIND-5: Extension is meaningful here, 1–3 digits (B.19: allocated when omitted).
        var dto = bound.SecretBindDTO!;
        Assert.Matches("^[0-9]{16}$", dto.SubsId);
        Assert.Matches("^[0-9]{1,3}$", dto.Extension);
        await sim.AssertInPoolAsync(SimulatorProcess.AxnExtensionPool, dto.SecretNo);
        var stored = Assert.IsType<AliyunSimulator.Control.BindingView>(await sim.Control.BindingAsync(dto.SubsId!));
        Assert.Equal(("AXN_EXTENSION", dto.Extension), (stored.Product, stored.Extension));
        PhoneAssert.Equal(a, stored.PhoneNoA);
        PhoneAssert.Equal(dto.SecretNo, stored.SecretNo);
    }

    [Fact]
    [Contract("BindAxnExtension", ContractCheck.Error)]
    public async Task BindAxnExtension_OnAnExtensionInUse_IsRefusedAsBindConflict()
    {
        const string x = "17200000005";
        var first = new BindAxnExtensionRequest
        {
            PoolKey = SimulatorProcess.AxnExtensionPool, PhoneNoA = TestPhones.Next(), PhoneNoX = x, Extension = "987", Expiration = ChinaTimes.InHours(2),
        };
        var taken = ProviderAssert.Succeeds(await sim.Dyplsapi.BindAxnExtensionAsync(first, None));
        Assert.Equal("987", taken.SecretBindDTO!.Extension);

        // R-BIND-6 (AXN extension): (X, Extension) is unique among bindings in effect.
        var result = await sim.Dyplsapi.BindAxnExtensionAsync(first with { PhoneNoA = TestPhones.Next() }, None);

        ProviderAssert.Fails(result, "isv.BIND_CONFLICT", ProviderErrorKind.BindConflict);
        Assert.Equal(1, (await sim.Control.BindingsAsync()).Count(b => b.SecretNo == x && b.Extension == "987"));
    }

    [Fact]
    [Contract("BindAxg", ContractCheck.Success)]
    public async Task BindAxg_ForAGroupWithMembers_CreatesABindingOfThatGroup()
    {
        var groupId = await CreateGroupAsync(TestPhones.Next());
        var (a, b) = (TestPhones.Next(), TestPhones.Next());

        var bound = ProviderAssert.Succeeds(await sim.Dyplsapi.BindAxgAsync(
            new BindAxgRequest { PoolKey = SimulatorProcess.AxgPool, PhoneNoA = a, PhoneNoB = b, GroupId = groupId, Expiration = ChinaTimes.InHours(2) },
            None));

        var dto = bound.SecretBindDTO!;
        Assert.Matches("^[0-9]{16}$", dto.SubsId);
        await sim.AssertInPoolAsync(SimulatorProcess.AxgPool, dto.SecretNo);
        var stored = Assert.IsType<AliyunSimulator.Control.BindingView>(await sim.Control.BindingAsync(dto.SubsId!));
        Assert.Equal(("AXG", groupId), (stored.Product, stored.GroupId));
        PhoneAssert.Equal(a, stored.PhoneNoA);

        // The follow-up query reports the group as a Long (T42).
        var detail = ProviderAssert.Succeeds(await sim.Dyplsapi.QuerySubscriptionDetailAsync(
            new QuerySubscriptionDetailRequest { PoolKey = SimulatorProcess.AxgPool, SubsId = dto.SubsId!, PhoneNoX = dto.SecretNo! }, None));
        Assert.Equal(groupId, detail.SecretBindDetailDTO!.GroupId);
    }

    [Fact]
    [Contract("BindAxg", ContractCheck.Error)]
    public async Task BindAxg_ForAnEmptyGroup_IsForbidden_AndCreatesNothing()
    {
        var groupId = await CreateGroupAsync();

        // R-BIND-10: the G group must hold at least one number.
        var result = await sim.Dyplsapi.BindAxgAsync(
            new BindAxgRequest { PoolKey = SimulatorProcess.AxgPool, PhoneNoA = TestPhones.Next(), GroupId = groupId, Expiration = ChinaTimes.InHours(2) },
            None);

        ProviderAssert.Fails(result, "isv.FORBIDDEN_ACTION", ProviderErrorKind.Forbidden);
        Assert.DoesNotContain(groupId, (await sim.Control.BindingsAsync()).Select(b => b.GroupId));
    }

    private async Task<long> CreateGroupAsync(params string[] numbers)
    {
        var created = ProviderAssert.Succeeds(await sim.Dyplsapi.CreateAxgGroupAsync(
            new CreateAxgGroupRequest { PoolKey = SimulatorProcess.AxgPool, Numbers = numbers }, None));
        return created.GroupId!.Value;
    }

    private static string NewOutId() => Guid.NewGuid().ToString("N");
}
