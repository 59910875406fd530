using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.AliyunSimulator.Tests.Support;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>
/// The number inventory: QuerySecretNoDetail, QuerySecretNoRemain, BuySecretNo, ReleaseSecretNo, LockSecretNo and
/// UnlockSecretNo (docs/provider-rules.md R-NUM-1..8).
/// </summary>
public sealed class NumberInventoryTests
{
    private const string EmptyPool = "FC200000000000002";

    /// <summary>The default AXB pool, plus an empty AXB pool (R-NUM-1: a new pool is empty).</summary>
    private static readonly string[] WithEmptyPool =
    [
        "Pools:0:PoolKey=" + RunningSimulator.PoolKey,
        "Pools:0:Generate:Start=17000000001",
        "Pools:0:Generate:Count=20",
        "Pools:0:Generate:Cities:0=北京",
        "Pools:0:Generate:Cities:1=上海",
        "Pools:0:Generate:Cities:2=杭州",
        "Pools:1:PoolKey=" + EmptyPool,
    ];

    private static Task<PopResponse> Detail(RunningSimulator sim, string secretNo, string poolKey = RunningSimulator.PoolKey) =>
        sim.Pop.PostAsync("QuerySecretNoDetail", ("SecretNo", secretNo), ("PoolKey", poolKey));

    private static Task<PopResponse> Buy(RunningSimulator sim, string city, string specId, string poolKey = EmptyPool, params (string, string)[] extra) =>
        sim.Pop.PostAsync("BuySecretNo", [("City", city), ("PoolKey", poolKey), ("SpecId", specId), .. extra]);

    private static Task<PopResponse> Remain(RunningSimulator sim, string city, string specId, params (string, string)[] extra) =>
        sim.Pop.PostAsync("QuerySecretNoRemain", [("City", city), ("SpecId", specId), .. extra]);

    private static async Task<string> BuyOk(RunningSimulator sim, string city = "杭州", string specId = "1", string poolKey = EmptyPool)
    {
        var response = await Buy(sim, city, specId, poolKey);
        Assert.True(response.Code == "OK", $"BuySecretNo failed: {response}");
        return response.Field("SecretBuyInfoDTO").GetProperty("SecretNo").GetString()!;
    }

    private static long Status(PopResponse detail) => detail.Field("SecretNoInfoDTO").GetProperty("SecretStatus").GetInt64();

    [Fact]
    public async Task QuerySecretNoDetail_OfAConfiguredNumber_AnswersTheDocumentedShape()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var response = await Detail(sim, "17000000001");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("OK", response.Code);
        var dto = response.Field("SecretNoInfoDTO");
        Assert.Equal("2026-03-01 10:00:00", dto.GetProperty("PurchaseTime").GetString());
        Assert.Equal(JsonValueKind.Number, dto.GetProperty("Vendor").ValueKind);
        Assert.Equal("北京", dto.GetProperty("City").GetString());
        Assert.Equal("北京市", dto.GetProperty("Province").GetString());
        Assert.Equal(0, dto.GetProperty("SecretStatus").GetInt64());
        Assert.Equal(1, dto.GetProperty("CertifyStatus").GetInt32());
    }

    [Fact]
    public async Task QuerySecretNoDetail_OfANumberNotInThePool_IsNoNotExist_AndAnUnknownPool_IsPoolKeyNotExists()
    {
        await using var sim = await RunningSimulator.StartAsync();

        Assert.Equal("isv.NO_NOT_EXIST", (await Detail(sim, "17099999999")).Code);
        Assert.Equal("isv.POOLKEY_NOT_EXISTS", (await Detail(sim, "17000000001", "FC999")).Code);
        Assert.Equal("MissingSecretNo", (await sim.Pop.PostAsync("QuerySecretNoDetail", ("PoolKey", RunningSimulator.PoolKey))).Code);
    }

    [Fact]
    public async Task SecretStatus_FollowsFrozenOverLockedOverBoundOverUnbound()
    {
        // R-NUM-5: frozen 3 > locked 2 > bound 1 > unbound 0.
        await using var sim = await RunningSimulator.StartAsync();
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());
        Assert.Equal(1, Status(await Detail(sim, x)));

        await sim.Pop.PostAsync("LockSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", x));
        Assert.Equal(2, Status(await Detail(sim, x)));

        (await sim.Http.PatchAsJsonAsync($"/_sim/numbers/{x}", new { frozen = true })).EnsureSuccessStatusCode();
        Assert.Equal(3, Status(await Detail(sim, x)));

        (await sim.Http.PatchAsJsonAsync($"/_sim/numbers/{x}", new { frozen = false })).EnsureSuccessStatusCode();
        await sim.Pop.PostAsync("UnlockSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", x));
        Assert.Equal(1, Status(await Detail(sim, x)));

        Assert.Equal("OK", (await sim.UnbindAsync(subsId, x)).Code);
        Assert.Equal(0, Status(await Detail(sim, x)));
    }

    [Fact]
    public async Task SecretStatus_IsUnbound_OnceTheOnlyBindingHasExpired()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (_, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        sim.Clock.Advance(TimeSpan.FromHours(3));

        Assert.Equal(0, Status(await Detail(sim, x)));
    }

    [Fact]
    public async Task QuerySecretNoRemain_CountsOneCity_TheNation_AndListsOnlyCitiesWithStock()
    {
        await using var sim = await RunningSimulator.StartAsync(
            "Stock:0:SpecId=1", "Stock:0:City=杭州", "Stock:0:Start=17900000001", "Stock:0:Count=3",
            "Stock:1:SpecId=1", "Stock:1:City=武汉", "Stock:1:Start=17900000101", "Stock:1:Count=1",
            "Stock:2:SpecId=2", "Stock:2:City=上海", "Stock:2:Start=13300000001", "Stock:2:Count=5");

        var city = (await Remain(sim, "杭州", "1")).Field("SecretRemainDTO");
        Assert.Equal(3, city.GetProperty("Amount").GetInt64());
        Assert.Equal("杭州", city.GetProperty("City").GetString());
        Assert.Equal(0, (await Remain(sim, "广州", "1")).Field("SecretRemainDTO").GetProperty("Amount").GetInt64());

        var nation = (await Remain(sim, "全国", "1")).Field("SecretRemainDTO");
        Assert.Equal(4, nation.GetProperty("Amount").GetInt64());
        Assert.Equal("全国", nation.GetProperty("City").GetString());

        // Buy 武汉's only number: 全国列表 then omits 武汉 (R-NUM-3).
        await BuyOk(sim, "武汉", poolKey: RunningSimulator.PoolKey);
        var list = (await Remain(sim, "全国列表", "1")).Field("SecretRemainDTO").GetProperty("RemainDTOList").GetProperty("remainDTO");
        var entry = Assert.Single(list.EnumerateArray());
        Assert.Equal("杭州", entry.GetProperty("City").GetString());
        Assert.Equal(3, entry.GetProperty("Amount").GetInt64());
    }

    [Fact]
    public async Task QuerySecretNoRemain_CountsOnlyThePrefix_And95NumbersOnlyNationwide()
    {
        await using var sim = await RunningSimulator.StartAsync();

        Assert.Equal(50, (await Remain(sim, "杭州", "1")).Field("SecretRemainDTO").GetProperty("Amount").GetInt64());
        Assert.Equal(9, (await Remain(sim, "杭州", "1", ("SecretNo", "1715000000"))).Field("SecretRemainDTO").GetProperty("Amount").GetInt64());
        Assert.Equal(20, (await Remain(sim, "全国通用", "3")).Field("SecretRemainDTO").GetProperty("Amount").GetInt64());
        Assert.Equal("isv.INVALID_PARAMETERS", (await Remain(sim, "杭州", "3")).Code);
        Assert.Equal("isv.INVALID_PARAMETERS", (await Remain(sim, "杭州", "4")).Code);
        Assert.Equal("isv.INVALID_PARAMETERS", (await Remain(sim, "杭州", "1", ("SecretNo", "1234567890123456789"))).Code);
    }

    [Fact]
    public async Task BuySecretNo_TakesOneNumberOffTheStock_WithItsAttributes()
    {
        await using var sim = await RunningSimulator.StartAsync(WithEmptyPool);
        sim.Clock.Advance(TimeSpan.FromMinutes(30));

        var response = await Buy(sim, "上海", "2");

        Assert.Equal("OK", response.Code);
        var secretNo = response.Field("SecretBuyInfoDTO").GetProperty("SecretNo").GetString();
        Assert.Equal("13350000001", secretNo);
        Assert.Equal(29, (await Remain(sim, "上海", "2")).Field("SecretRemainDTO").GetProperty("Amount").GetInt64());
        var dto = (await Detail(sim, secretNo!, EmptyPool)).Field("SecretNoInfoDTO");
        Assert.Equal("2026-03-01 10:30:00", dto.GetProperty("PurchaseTime").GetString());
        Assert.Equal(3, dto.GetProperty("Vendor").GetInt64());
        Assert.Equal("上海市", dto.GetProperty("Province").GetString());
        Assert.Equal("上海", dto.GetProperty("City").GetString());
        Assert.Equal(0, dto.GetProperty("SecretStatus").GetInt64());
    }

    [Fact]
    public async Task BuySecretNo_MatchesThePrefix_AndRefusesWhatIsNotOnSale()
    {
        await using var sim = await RunningSimulator.StartAsync(WithEmptyPool);

        var prefixed = await Buy(sim, "杭州", "1", EmptyPool, ("SecretNo", "1715000004"));
        Assert.StartsWith("1715000004", prefixed.Field("SecretBuyInfoDTO").GetProperty("SecretNo").GetString(), StringComparison.Ordinal);

        Assert.Equal("isv.NO_AVAILABLE_NUMBER", (await Buy(sim, "广州", "1")).Code);
        Assert.Equal("isv.NO_AVAILABLE_NUMBER", (await Buy(sim, "杭州", "1", EmptyPool, ("SecretNo", "139"))).Code);
        Assert.Equal("isv.INVALID_PARAMETERS", (await Buy(sim, "杭州", "3")).Code);
        Assert.StartsWith("95", (await BuyOk(sim, "全国通用", "3")), StringComparison.Ordinal);
        Assert.Equal("isv.POOLKEY_NOT_EXISTS", (await Buy(sim, "杭州", "1", "FC999")).Code);
    }

    [Fact]
    public async Task ANumberAlreadyInAPool_IsNotOnSale()
    {
        await using var sim = await RunningSimulator.StartAsync(
            "Pools:0:PoolKey=" + RunningSimulator.PoolKey, "Pools:0:Numbers:0:SecretNo=17100000002", "Pools:0:Numbers:0:City=杭州",
            "Stock:0:SpecId=1", "Stock:0:City=杭州", "Stock:0:Start=17100000001", "Stock:0:Count=3");

        Assert.Equal(2, (await Remain(sim, "杭州", "1")).Field("SecretRemainDTO").GetProperty("Amount").GetInt64());
        Assert.Equal("17100000001", await BuyOk(sim, poolKey: RunningSimulator.PoolKey));
        Assert.Equal("17100000003", await BuyOk(sim, poolKey: RunningSimulator.PoolKey));
        Assert.Equal("isv.NO_AVAILABLE_NUMBER", (await Buy(sim, "杭州", "1", RunningSimulator.PoolKey)).Code);
    }

    [Fact]
    public async Task InvalidStockConfiguration_StopsTheSimulatorNamingTheKey()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningSimulator.StartAsync("Stock:0:SpecId=3", "Stock:0:City=杭州", "Stock:0:Start=950100000001", "Stock:0:Count=1"));

        Assert.Contains("Simulator:Stock:0:City", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuySecretNo_NeedsAnEnterpriseVerifiedAccount()
    {
        await using var sim = await RunningSimulator.StartAsync(
            [.. WithEmptyPool,
            "Accounts:0:AccessKeyId=" + PopTestClient.DefaultAccessKeyId, "Accounts:0:AccessKeySecret=" + PopTestClient.DefaultSecret,
            "Accounts:1:AccessKeyId=personal", "Accounts:1:AccessKeySecret=personal-secret",
            "UnverifiedAccessKeyIds:0=personal"]);

        var refused = await sim.Pop.SendAsync(new PopCall("BuySecretNo", ("City", "杭州"), ("PoolKey", EmptyPool), ("SpecId", "1"))
        {
            AccessKeyId = "personal",
            Secret = "personal-secret",
        });

        Assert.Equal("isv.FORBIDDEN_ACTION", refused.Code);
        Assert.Equal(50, (await Remain(sim, "杭州", "1")).Field("SecretRemainDTO").GetProperty("Amount").GetInt64());
        Assert.Equal("OK", (await Buy(sim, "杭州", "1")).Code);
    }

    [Fact]
    public async Task ABoughtNumber_IsBindable_ExplicitlyAndByAutomaticSelection()
    {
        // R-NUM-1: an empty pool cannot bind until a number is bought into it.
        await using var sim = await RunningSimulator.StartAsync(WithEmptyPool);
        var empty = await sim.Pop.PostAsync(
            "BindAxb", ("PoolKey", EmptyPool), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()), ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))));
        Assert.Equal("isv.NO_AVAILABLE_NUMBER", empty.Code);

        var bought = await BuyOk(sim);

        var automatic = await sim.Pop.PostAsync(
            "BindAxb", ("PoolKey", EmptyPool), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()), ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))));
        Assert.Equal(bought, automatic.Field("SecretBindDTO").GetProperty("SecretNo").GetString());
        var explicitX = await sim.Pop.PostAsync(
            "BindAxb", ("PoolKey", EmptyPool), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()), ("PhoneNoX", bought),
            ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))));
        Assert.Equal("OK", explicitX.Code);
        Assert.Equal(1, Status(await Detail(sim, bought, EmptyPool)));
    }

    [Fact]
    public async Task ReleaseSecretNo_IsRefused_WhileTheNumberHasABinding_ThenTheNumberIsGone()
    {
        // R-NUM-7.
        await using var sim = await RunningSimulator.StartAsync();
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var refused = await sim.Pop.PostAsync("ReleaseSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", x));
        Assert.Equal("isv.FORBIDDEN_ACTION", refused.Code);
        Assert.Equal(1, Status(await Detail(sim, x)));

        Assert.Equal("OK", (await sim.UnbindAsync(subsId, x)).Code);
        var released = await sim.Pop.PostAsync("ReleaseSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", x));

        Assert.Equal("OK", released.Code);
        Assert.Equal("isv.NO_NOT_EXIST", (await Detail(sim, x)).Code);
        Assert.Equal("isv.FORBIDDEN_ACTION", (await sim.BindAsync(TestPhones.Next(), TestPhones.Next(), ("PhoneNoX", x))).Code);
        Assert.Equal("isv.NO_NOT_EXIST", (await sim.Pop.PostAsync("ReleaseSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", x))).Code);
    }

    [Fact]
    public async Task ReleaseSecretNo_IsRefused_WhileTheNumberHasAnExpiredBinding_UntilItIsUnbound()
    {
        // docs/provider-rules.md R-NUM-7 (and R-UNB-3): only a number with no binding at all can be released, and
        // UnbindSubscription must come first ("释放号码前，必须调用UnbindSubscription接口解除绑定关系"). An expired binding is
        // still a binding until it is unbound.
        await using var sim = await RunningSimulator.StartAsync();
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());
        sim.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, Status(await Detail(sim, x))); // expired: the number reads as unbound

        var refused = await sim.Pop.PostAsync("ReleaseSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", x));

        Assert.Equal("isv.FORBIDDEN_ACTION", refused.Code);
        Assert.Equal("OK", (await Detail(sim, x)).Code);
        Assert.Equal("OK", (await sim.UnbindAsync(subsId, x)).Code);
        Assert.Equal("OK", (await sim.Pop.PostAsync("ReleaseSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", x))).Code);
        Assert.Equal("isv.NO_NOT_EXIST", (await Detail(sim, x)).Code);
    }

    [Fact]
    public async Task ReleaseSecretNo_NeedsTheCompleteNumber()
    {
        // B.2: no release by prefix.
        await using var sim = await RunningSimulator.StartAsync();
        var before = (await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/numbers")).GetArrayLength();

        var response = await sim.Pop.PostAsync("ReleaseSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", "170"));

        Assert.Equal("isv.NO_NOT_EXIST", response.Code);
        Assert.Equal(before, (await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/numbers")).GetArrayLength());
    }

    [Fact]
    public async Task LockSecretNo_TakesTheNumberOutOfAutomaticSelection_UntilUnlocked()
    {
        // R-NUM-6, with a two-number pool so the effect cannot be luck.
        await using var sim = await RunningSimulator.StartAsync(
            "Pools:0:PoolKey=" + RunningSimulator.PoolKey,
            "Pools:0:Numbers:0:SecretNo=17000000001", "Pools:0:Numbers:0:City=北京",
            "Pools:0:Numbers:1:SecretNo=17000000002", "Pools:0:Numbers:1:City=北京");

        var locked = await sim.Pop.PostAsync("LockSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", "17000000001"));
        Assert.Equal("OK", locked.Code);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("17000000002", (await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next())).SecretNo);
        }

        Assert.Equal("isv.FORBIDDEN_ACTION", (await sim.BindAsync(TestPhones.Next(), TestPhones.Next(), ("PhoneNoX", "17000000001"))).Code);

        var unlocked = await sim.Pop.PostAsync("UnlockSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", "17000000001"));
        Assert.Equal("OK", unlocked.Code);
        Assert.Equal("OK", (await sim.BindAsync(TestPhones.Next(), TestPhones.Next(), ("PhoneNoX", "17000000001"))).Code);
    }

    [Fact]
    public async Task LockAndUnlock_OfAnUnknownNumber_AreNoNotExist()
    {
        await using var sim = await RunningSimulator.StartAsync();

        Assert.Equal("isv.NO_NOT_EXIST", (await sim.Pop.PostAsync("LockSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", "1700000000"))).Code);
        Assert.Equal("isv.NO_NOT_EXIST", (await sim.Pop.PostAsync("UnlockSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", "17099999999"))).Code);
        Assert.Equal("MissingSecretNo", (await sim.Pop.PostAsync("LockSecretNo", ("PoolKey", RunningSimulator.PoolKey))).Code);
    }

    [Fact]
    public async Task Reset_RemovesBoughtNumbers_RestoresReleasedAndLockedOnes_AndRefillsTheStock()
    {
        await using var sim = await RunningSimulator.StartAsync(WithEmptyPool);
        var bought = await BuyOk(sim);
        await sim.Pop.PostAsync("ReleaseSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", "17000000002"));
        await sim.Pop.PostAsync("LockSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", "17000000003"));

        (await sim.Http.PostAsync("/_sim/reset", null)).EnsureSuccessStatusCode();

        Assert.Equal("isv.NO_NOT_EXIST", (await Detail(sim, bought, EmptyPool)).Code);
        Assert.Equal(0, Status(await Detail(sim, "17000000002")));
        Assert.Equal(0, Status(await Detail(sim, "17000000003")));
        Assert.Equal(50, (await Remain(sim, "杭州", "1")).Field("SecretRemainDTO").GetProperty("Amount").GetInt64());
        var numbers = (await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/numbers")).EnumerateArray().Select(n => n.GetProperty("secretNo").GetString()).ToList();
        Assert.Equal([.. Enumerable.Range(1, 20).Select(i => $"170000000{i:D2}")], numbers);
    }
}
