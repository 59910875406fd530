using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.AliyunSimulator.Tests.Support;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>Running the simulator in-process, its defaults, and the /_sim control endpoints.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task Started_OnPortZero_TheAppReportsTheRealBoundAddress()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var url = Assert.Single(sim.Urls);
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        Assert.NotEqual(0, new Uri(url).Port);
        var response = await sim.Http.GetAsync("/_sim/bindings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WithNoConfiguration_TheDefaultAccountAndTwentyNumberPoolAreServed()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var all = (await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/numbers")).EnumerateArray().ToList();
        var numbers = all.Where(n => n.GetProperty("poolKey").GetString() == RunningSimulator.PoolKey).ToList();

        Assert.Equal(["FC100000000000001", "FC100000000000002", "FC100000000000003", "FC100000000000004"], all.Select(n => n.GetProperty("poolKey").GetString()).Distinct());
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"170000000{i:D2}"), numbers.Select(n => n.GetProperty("secretNo").GetString()));
        Assert.Equal(["北京", "上海", "杭州"], numbers.Select(n => n.GetProperty("city").GetString()).Distinct());
        Assert.Equal(7, numbers.Count(n => n.GetProperty("city").GetString() == "北京"));
        var bound = await sim.BindAsync(TestPhones.Next(), TestPhones.Next());
        Assert.Equal("OK", bound.Code);
    }

    [Fact]
    public async Task ControlApi_WhenSwitchedOff_IsNotMapped()
    {
        await using var sim = await RunningSimulator.StartAsync("ControlApi=false");

        Assert.Equal(HttpStatusCode.NotFound, (await sim.Http.GetAsync("/_sim/bindings")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sim.Http.PostAsync("/_sim/reset", null)).StatusCode);
        Assert.Equal("OK", (await sim.BindAsync(TestPhones.Next(), TestPhones.Next())).Code);
    }

    [Fact]
    public async Task ControlBindings_ShowEveryFieldOfABinding_WithNumbersInClear()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        var (subsId, x) = await sim.BindOkAsync(
            a, b, ("OutId", "out-1"), ("OutOrderId", "order-1"), ("CallRestrict", "CONTROL_AX_DISABLE"), ("IsRecordingEnabled", "true"));

        var all = await sim.BindingsAsync();
        var one = await sim.Http.GetFromJsonAsync<JsonElement>($"/_sim/bindings/{subsId}");

        var binding = Assert.Single(all);
        Assert.Equal(binding.GetRawText(), one.GetRawText());
        Assert.Equal(RunningSimulator.PoolKey, binding.GetProperty("poolKey").GetString());
        Assert.Equal(subsId, binding.GetProperty("subsId").GetString());
        Assert.Equal(x, binding.GetProperty("secretNo").GetString());
        Assert.Equal(a, binding.GetProperty("phoneNoA").GetString());
        Assert.Equal(b, binding.GetProperty("phoneNoB").GetString());
        Assert.Equal(FakeTimeProvider.DefaultStart.AddHours(2), binding.GetProperty("expiration").GetDateTimeOffset());
        Assert.EndsWith("+08:00", binding.GetProperty("expiration").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, binding.GetProperty("status").GetInt32());
        Assert.Equal("out-1", binding.GetProperty("outId").GetString());
        Assert.Equal("order-1", binding.GetProperty("outOrderId").GetString());
        Assert.Equal("CONTROL_AX_DISABLE", binding.GetProperty("callRestrict").GetString());
        Assert.True(binding.GetProperty("needRecord").GetBoolean());
        Assert.Equal(FakeTimeProvider.DefaultStart, binding.GetProperty("createdAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task ControlBinding_ForAnUnknownSubsId_Is404()
    {
        await using var sim = await RunningSimulator.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await sim.Http.GetAsync("/_sim/bindings/1000000000000000")).StatusCode);
    }

    [Fact]
    public async Task Reset_ClearsBindingsAndUsedNonces()
    {
        await using var sim = await RunningSimulator.StartAsync();
        await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());
        var nonce = Guid.NewGuid().ToString();
        var query = new PopCall("QuerySubscriptionDetail", ("PoolKey", RunningSimulator.PoolKey), ("SubsId", "1"), ("PhoneNoX", "17000000001")) { Nonce = nonce };
        Assert.Equal("isv.SUBS_NOT_EXIST", (await sim.Pop.SendAsync(query)).Code);
        Assert.Equal("SignatureNonceUsed", (await sim.Pop.SendAsync(query)).Code);

        var reset = await sim.Http.PostAsync("/_sim/reset", null);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty(await sim.BindingsAsync());
        Assert.Equal("isv.SUBS_NOT_EXIST", (await sim.Pop.SendAsync(query)).Code);
    }

    [Fact]
    public async Task Reset_RestartsTheSeed_SoTheSameCallsPickTheSameNumbersAgain()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var parties = Enumerable.Range(0, 5).Select(_ => (TestPhones.Next(), TestPhones.Next())).ToList();
        var first = new List<string>();
        foreach (var (a, b) in parties)
        {
            first.Add((await sim.BindOkAsync(a, b)).SecretNo);
        }

        await sim.Http.PostAsync("/_sim/reset", null);
        var second = new List<string>();
        foreach (var (a, b) in parties)
        {
            second.Add((await sim.BindOkAsync(a, b)).SecretNo);
        }

        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 1, "five random picks from 20 numbers should not all be the same");
    }

    [Fact]
    public async Task TwoSimulators_WithTheSameSeed_PickTheSameNumbers_AndADifferentSeedPicksOthers()
    {
        await using var one = await RunningSimulator.StartAsync("Seed=7");
        await using var two = await RunningSimulator.StartAsync("Seed=7");
        await using var other = await RunningSimulator.StartAsync("Seed=8");
        var parties = Enumerable.Range(0, 8).Select(_ => (TestPhones.Next(), TestPhones.Next())).ToList();

        async Task<List<string>> Picks(RunningSimulator sim)
        {
            var picks = new List<string>();
            foreach (var (a, b) in parties)
            {
                picks.Add((await sim.BindOkAsync(a, b)).SecretNo);
            }

            return picks;
        }

        var picksOne = await Picks(one);
        Assert.Equal(picksOne, await Picks(two));
        Assert.NotEqual(picksOne, await Picks(other));
    }

    [Fact]
    public async Task InvalidConfiguration_StopsTheSimulatorNamingTheKey()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningSimulator.StartAsync("MaxAxbPairsPerX=0"));

        Assert.Contains("MaxAxbPairsPerX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplicitNumbers_ReplaceTheDefaultPool()
    {
        await using var sim = await RunningSimulator.StartAsync(
            "Pools:0:PoolKey=FC-EXPLICIT", "Pools:0:Numbers:0:SecretNo=17100000001", "Pools:0:Numbers:0:City=深圳");

        var numbers = (await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/numbers")).EnumerateArray().ToList();

        var number = Assert.Single(numbers);
        Assert.Equal("FC-EXPLICIT", number.GetProperty("poolKey").GetString());
        Assert.Equal("17100000001", number.GetProperty("secretNo").GetString());
        Assert.Equal("深圳", number.GetProperty("city").GetString());
    }
}
