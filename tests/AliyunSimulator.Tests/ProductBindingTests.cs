using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.AliyunSimulator.Tests.Support;
using static BindingService.AliyunSimulator.Tests.Support.ProductCalls;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>BindAxn, BindAxnExtension and BindAxg, and Update/Unbind/Query on their bindings (docs/provider-rules.md, 'Actions', 'Creating bindings').</summary>
public sealed class ProductBindingTests : IAsyncLifetime
{
    private RunningSimulator sim = null!;

    public async Task InitializeAsync() => sim = await RunningSimulator.StartAsync();

    public async Task DisposeAsync() => await sim.DisposeAsync();

    [Fact]
    public async Task BindAxn_WithoutB_AnswersSecretBindDTO_AndQueryShowsTheBinding()
    {
        var a = TestPhones.Next();

        var response = await sim.BindInAsync("BindAxn", AxnPool, a, ("OutId", "o-1"), ("NoType", "AXB_170"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("OK", response.Code);
        Assert.Equal("OK", response.Message);
        var dto = response.Field("SecretBindDTO");
        Assert.Matches("^[0-9]{16}$", dto.Text("SubsId"));
        Assert.StartsWith("171000000", dto.Text("SecretNo"), StringComparison.Ordinal);
        Assert.False(dto.TryGetProperty("Extension", out _), "Extension is not applicable to BindAxn (R-BIND-5)");
        var detail = (await sim.QueryInAsync(AxnPool, dto)).Field("SecretBindDetailDTO");
        Assert.Equal(a, detail.Text("PhoneNoA"));
        Assert.False(detail.TryGetProperty("PhoneNoB", out _));
        Assert.False(detail.TryGetProperty("GroupId", out _));
        Assert.Equal(1, detail.GetProperty("Status").GetInt64());
        var listed = Assert.Single(await sim.BindingsAsync());
        Assert.Equal("AXN", listed.Text("product"));
    }

    [Fact]
    public async Task BindAxn_XIsDedicatedToA_ExplicitXInUseIsABindConflict_AndThePoolRunsOut()
    {
        // R-BIND-6: an X in AXN use belongs to one A; the default AXN pool has 10 numbers.
        var xs = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            xs.Add((await sim.BindOkInAsync("BindAxn", AxnPool, TestPhones.Next())).Text("SecretNo"));
        }

        var eleventh = await sim.BindInAsync("BindAxn", AxnPool, TestPhones.Next());
        var explicitTaken = await sim.BindInAsync("BindAxn", AxnPool, TestPhones.Next(), ("PhoneNoX", xs[0]));

        Assert.Equal(10, xs.Distinct().Count());
        Assert.Equal("isv.NO_AVAILABLE_NUMBER", eleventh.Code);
        Assert.Equal("isv.BIND_CONFLICT", explicitTaken.Code);
    }

    [Fact]
    public async Task BindAxn_AfterUnbind_TheXIsFreeAgain()
    {
        var dto = await sim.BindOkInAsync("BindAxn", AxnPool, TestPhones.Next(), ("PhoneNoX", "17100000003"));
        Assert.Equal("isv.BIND_CONFLICT", (await sim.BindInAsync("BindAxn", AxnPool, TestPhones.Next(), ("PhoneNoX", "17100000003"))).Code);

        var unbind = await sim.Pop.PostAsync("UnbindSubscription", ("PoolKey", AxnPool), ("SubsId", dto.Text("SubsId")), ("SecretNo", "17100000003"));
        var again = await sim.BindInAsync("BindAxn", AxnPool, TestPhones.Next(), ("PhoneNoX", "17100000003"));

        Assert.Equal("OK", unbind.Code);
        Assert.Equal("OK", again.Code);
    }

    [Fact]
    public async Task BindAxn_AfterExpiry_TheXIsFreeAgain()
    {
        await sim.BindOkInAsync("BindAxn", AxnPool, TestPhones.Next(), ("PhoneNoX", "17100000003"));

        sim.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal("OK", (await sim.BindInAsync("BindAxn", AxnPool, TestPhones.Next(), ("PhoneNoX", "17100000003"))).Code);
    }

    [Theory]
    [InlineData("BindAxn", RunningSimulator.PoolKey)]
    [InlineData("BindAxnExtension", AxnPool)]
    [InlineData("BindAxg", AxnExtensionPool)]
    public async Task BindOnAPoolOfAnotherProduct_FailsWith_ForbiddenAction(string action, string poolKey)
    {
        // B.20: an X belongs to one pool of one product; the pool must be the action's product.
        var response = await sim.BindInAsync(action, poolKey, TestPhones.Next(), ("GroupId", "2000000000001"));

        Assert.Equal("isv.FORBIDDEN_ACTION", response.Code);
    }

    [Fact]
    public async Task BindAxb_OnTheAxnPool_FailsWith_ForbiddenAction()
    {
        var response = await sim.Pop.PostAsync(
            "BindAxb", ("PoolKey", AxnPool), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()), ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))));

        Assert.Equal("isv.FORBIDDEN_ACTION", response.Code);
    }

    [Fact]
    public async Task BindAxn_ExplicitXOfAnotherPool_OrLocked_IsRefused()
    {
        Assert.True((await sim.Http.PatchAsJsonAsync("/_sim/numbers/17100000005", new { locked = true })).IsSuccessStatusCode);

        var otherPool = await sim.BindInAsync("BindAxn", AxnPool, TestPhones.Next(), ("PhoneNoX", "17000000001"));
        var locked = await sim.BindInAsync("BindAxn", AxnPool, TestPhones.Next(), ("PhoneNoX", "17100000005"));

        Assert.Equal("isv.FORBIDDEN_ACTION", otherPool.Code);
        Assert.Equal("isv.FORBIDDEN_ACTION", locked.Code);
    }

    [Theory]
    [InlineData("BindAxn", AxnPool)]
    [InlineData("BindAxnExtension", AxnExtensionPool)]
    public async Task ExpectCity_IsHonoured_AndLockedNumbersAreSkipped(string action, string poolKey)
    {
        var numbers = (await sim.ControlListAsync("/_sim/numbers")).Where(n => n.Text("poolKey") == poolKey).ToList();
        var shanghai = numbers.Where(n => n.Text("city") == "上海").Select(n => n.Text("secretNo")).ToList();
        foreach (var locked in shanghai.Skip(1))
        {
            Assert.True((await sim.Http.PatchAsJsonAsync("/_sim/numbers/" + locked, new { locked = true })).IsSuccessStatusCode);
        }

        var dto = await sim.BindOkInAsync(action, poolKey, TestPhones.Next(), ("ExpectCity", "上海"));

        Assert.Equal(shanghai[0], dto.Text("SecretNo"));
    }

    [Fact]
    public async Task BindAxn_InvalidB_FailsWith_MobileNumberIllegal()
    {
        var response = await sim.BindInAsync("BindAxn", AxnPool, TestPhones.Next(), ("PhoneNoB", "12-34"));

        Assert.Equal("isv.MOBILE_NUMBER_ILLEGAL", response.Code);
    }

    [Fact]
    public async Task BindAxnExtension_AllocatesTheLowestFreeExtension_PerX()
    {
        var first = await sim.BindOkInAsync("BindAxnExtension", AxnExtensionPool, TestPhones.Next(), ("PhoneNoX", "17200000001"));
        var second = await sim.BindOkInAsync("BindAxnExtension", AxnExtensionPool, TestPhones.Next(), ("PhoneNoX", "17200000001"));
        var explicit5 = await sim.BindOkInAsync("BindAxnExtension", AxnExtensionPool, TestPhones.Next(), ("PhoneNoX", "17200000001"), ("Extension", "5"));
        var otherX = await sim.BindOkInAsync("BindAxnExtension", AxnExtensionPool, TestPhones.Next(), ("PhoneNoX", "17200000002"));

        Assert.Equal("1", first.Text("Extension"));
        Assert.Equal("2", second.Text("Extension"));
        Assert.Equal("5", explicit5.Text("Extension"));
        Assert.Equal("1", otherX.Text("Extension"));
        var detail = (await sim.QueryInAsync(AxnExtensionPool, second)).Field("SecretBindDetailDTO");
        Assert.Equal(JsonValueKind.String, detail.GetProperty("Extension").ValueKind);
        Assert.Equal("2", detail.Text("Extension"));
    }

    [Fact]
    public async Task BindAxnExtension_ExtensionInUseOnX_IsABindConflict_UntilUnbound()
    {
        var taken = await sim.BindOkInAsync("BindAxnExtension", AxnExtensionPool, TestPhones.Next(), ("PhoneNoX", "17200000001"), ("Extension", "130"));

        var clash = await sim.BindInAsync("BindAxnExtension", AxnExtensionPool, TestPhones.Next(), ("PhoneNoX", "17200000001"), ("Extension", "130"));
        await sim.Pop.PostAsync("UnbindSubscription", ("PoolKey", AxnExtensionPool), ("SubsId", taken.Text("SubsId")), ("SecretNo", "17200000001"));
        var afterUnbind = await sim.BindInAsync("BindAxnExtension", AxnExtensionPool, TestPhones.Next(), ("PhoneNoX", "17200000001"), ("Extension", "130"));

        Assert.Equal("isv.BIND_CONFLICT", clash.Code);
        Assert.Equal("OK", afterUnbind.Code);
    }

    [Fact]
    public async Task BindAxnExtension_ExtensionWithoutPhoneNoX_IsRejectedWith_MissingPhoneNoX()
    {
        var response = await sim.BindInAsync("BindAxnExtension", AxnExtensionPool, TestPhones.Next(), ("Extension", "12"));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("MissingPhoneNoX", response.Code);
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("1a")]
    public async Task BindAxnExtension_ExtensionNotOneToThreeDigits_FailsWith_InvalidParameters(string extension)
    {
        var response = await sim.BindInAsync("BindAxnExtension", AxnExtensionPool, TestPhones.Next(), ("PhoneNoX", "17200000001"), ("Extension", extension));

        Assert.Equal("isv.INVALID_PARAMETERS", response.Code);
    }

    [Fact]
    public async Task BindAxg_OnAGroupWithNumbers_AnswersSecretBindDTO_AndQueryShowsGroupIdAsANumber()
    {
        var groupId = await sim.CreateGroupOkAsync(TestPhones.Next(), TestPhones.Next());

        var response = await sim.BindInAsync("BindAxg", AxgPool, TestPhones.Next(), ("GroupId", groupId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal("OK", response.Code);
        var dto = response.Field("SecretBindDTO");
        Assert.StartsWith("173000000", dto.Text("SecretNo"), StringComparison.Ordinal);
        Assert.False(dto.TryGetProperty("Extension", out _));
        var detail = (await sim.QueryInAsync(AxgPool, dto)).Field("SecretBindDetailDTO");
        Assert.Equal(JsonValueKind.Number, detail.GetProperty("GroupId").ValueKind);
        Assert.Equal(groupId, detail.GetProperty("GroupId").GetInt64());
        Assert.False(detail.TryGetProperty("Extension", out _));
        Assert.Equal(groupId, Assert.Single(await sim.BindingsAsync()).GetProperty("groupId").GetInt64());
    }

    [Fact]
    public async Task BindAxg_OnAnEmptyGroup_FailsWith_ForbiddenAction_AndOnAnUnknownGroup_WithInvalidParameters()
    {
        // R-BIND-10: the G group must exist in the pool and hold at least one number.
        var empty = await sim.CreateGroupOkAsync();

        var onEmpty = await sim.BindInAsync("BindAxg", AxgPool, TestPhones.Next(), ("GroupId", empty.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var onUnknown = await sim.BindInAsync("BindAxg", AxgPool, TestPhones.Next(), ("GroupId", "1999999999999"));
        var notANumber = await sim.BindInAsync("BindAxg", AxgPool, TestPhones.Next(), ("GroupId", "G1"));

        Assert.Equal("isv.FORBIDDEN_ACTION", onEmpty.Code);
        Assert.Equal("isv.INVALID_PARAMETERS", onUnknown.Code);
        Assert.Equal("isv.INVALID_PARAMETERS", notANumber.Code);
    }

    [Fact]
    public async Task BindAxg_WithoutGroupId_IsRejectedWith_MissingGroupId()
    {
        var response = await sim.BindInAsync("BindAxg", AxgPool, TestPhones.Next());

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("MissingGroupId", response.Code);
    }

    [Fact]
    public async Task UpdateAxgGroup_MovesTheBinding_ToANonEmptyGroupOfThePool_Only()
    {
        var first = await sim.CreateGroupOkAsync(TestPhones.Next());
        var second = await sim.CreateGroupOkAsync(TestPhones.Next());
        var empty = await sim.CreateGroupOkAsync();
        var dto = await sim.BindOkInAsync("BindAxg", AxgPool, TestPhones.Next(), ("GroupId", first.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Task<PopResponse> UpdateGroup(string groupId) => sim.Pop.PostAsync(
            "UpdateSubscription", ("PoolKey", AxgPool), ("SubsId", dto.Text("SubsId")), ("PhoneNoX", dto.Text("SecretNo")), ("OperateType", "updateAxgGroup"), ("GroupId", groupId));

        var toEmpty = await UpdateGroup(empty.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var toUnknown = await UpdateGroup("42");
        var toSecond = await UpdateGroup(second.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("isv.FORBIDDEN_ACTION", toEmpty.Code);
        Assert.Equal("isv.INVALID_PARAMETERS", toUnknown.Code);
        Assert.Equal("OK", toSecond.Code);
        Assert.Equal(second, (await sim.QueryInAsync(AxgPool, dto)).Field("SecretBindDetailDTO").GetProperty("GroupId").GetInt64());
    }

    [Fact]
    public async Task UpdateAxgGroup_WithoutGroupId_IsMissingGroupId_AndOnAnAxnBinding_IsForbidden()
    {
        var group = await sim.CreateGroupOkAsync(TestPhones.Next());
        var axn = await sim.BindOkInAsync("BindAxn", AxnPool, TestPhones.Next());

        var missing = await sim.Pop.PostAsync(
            "UpdateSubscription", ("PoolKey", AxnPool), ("SubsId", axn.Text("SubsId")), ("PhoneNoX", axn.Text("SecretNo")), ("OperateType", "updateAxgGroup"));
        var onAxn = await sim.Pop.PostAsync(
            "UpdateSubscription", ("PoolKey", AxnPool), ("SubsId", axn.Text("SubsId")), ("PhoneNoX", axn.Text("SecretNo")), ("OperateType", "updateAxgGroup"),
            ("GroupId", group.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal("MissingGroupId", missing.Code);
        Assert.Equal("isv.FORBIDDEN_ACTION", onAxn.Code);
    }

    [Fact]
    public async Task UpdateNoB_OnAnAxnBinding_SetsB_AndProductTypeFindsExtensionBindings()
    {
        var b = TestPhones.Next();
        var axn = await sim.BindOkInAsync("BindAxn", AxnPool, TestPhones.Next());
        var ext = await sim.BindOkInAsync("BindAxnExtension", AxnExtensionPool, TestPhones.Next());

        var update = await sim.Pop.PostAsync(
            "UpdateSubscription", ("PoolKey", AxnPool), ("SubsId", axn.Text("SubsId")), ("PhoneNoX", axn.Text("SecretNo")), ("OperateType", "updateNoB"), ("PhoneNoB", b));
        var byProductType = await sim.Pop.PostAsync(
            "QuerySubscriptionDetail", ("ProductType", "AXN_EXTENSION_REUSE"), ("SubsId", ext.Text("SubsId")), ("PhoneNoX", ext.Text("SecretNo")));

        Assert.Equal("OK", update.Code);
        Assert.Equal(b, (await sim.QueryInAsync(AxnPool, axn)).Field("SecretBindDetailDTO").Text("PhoneNoB"));
        Assert.Equal("OK", byProductType.Code);
    }

    [Fact]
    public async Task QuerySubsId_ListsTheBindingsInEffectOnX_CommaSeparated_InCreationOrder()
    {
        // R-QRY-2: AXB shares X between pairs, so one X may carry several SubsIds.
        var first = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("PhoneNoX", "17000000007"));
        var second = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("PhoneNoX", "17000000007"));

        var response = await sim.Pop.PostAsync("QuerySubsId", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoX", "17000000007"));

        Assert.Equal("OK", response.Code);
        Assert.Equal("OK", response.Message);
        Assert.Equal($"{first.SubsId},{second.SubsId}", response.Field("SubsId").GetString());
    }

    [Fact]
    public async Task QuerySubsId_WithNoBindingInEffect_AnswersAnEmptySubsId_AndForANumberOfAnotherPool_NoNotExist()
    {
        await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("PhoneNoX", "17000000007"));
        sim.Clock.Advance(TimeSpan.FromHours(3));

        var expired = await sim.Pop.PostAsync("QuerySubsId", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoX", "17000000007"));
        var otherPool = await sim.Pop.PostAsync("QuerySubsId", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoX", "17100000001"));
        var missing = await sim.Pop.PostAsync("QuerySubsId", ("PoolKey", RunningSimulator.PoolKey));

        Assert.Equal("OK", expired.Code);
        Assert.Equal(string.Empty, expired.Field("SubsId").GetString());
        Assert.Equal("isv.NO_NOT_EXIST", otherPool.Code);
        Assert.Equal("MissingPhoneNoX", missing.Code);
    }
}
