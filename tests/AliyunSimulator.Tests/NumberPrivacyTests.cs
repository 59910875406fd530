using System.Net.Http.Json;
using BindingService.AliyunSimulator.Tests.Support;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>The number actions log pools, codes and request ids, and never a phone number in clear.</summary>
public sealed class NumberPrivacyTests
{
    [Fact]
    public async Task NumberActionLogs_MaskEveryPhoneNumber()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (first, second) = (TestPhones.Next(), TestPhones.Next());

        // GET: the numbers travel in the URL.
        var bought = (await sim.Pop.GetAsync("BuySecretNo", ("City", "杭州"), ("PoolKey", RunningSimulator.PoolKey), ("SpecId", "1")))
            .Field("SecretBuyInfoDTO").GetProperty("SecretNo").GetString()!;
        await sim.Pop.GetAsync("LockSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", bought));
        await sim.Pop.GetAsync("UnlockSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", bought));
        await sim.Pop.GetAsync("QuerySecretNoDetail", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", bought));
        await sim.Pop.GetAsync("ReleaseSecretNo", ("PoolKey", RunningSimulator.PoolKey), ("SecretNo", bought));
        await sim.Pop.GetAsync(
            "AddSecretBlacklist", ("PoolKey", RunningSimulator.PoolKey), ("BlackNo", $"{first}:{second}"), ("BlackType", "POINT_TO_POINT_BLACK"));
        await sim.Pop.GetAsync(
            "DeleteSecretBlacklist", ("PoolKey", RunningSimulator.PoolKey), ("BlackNo", $"{first}:{second}"), ("BlackType", "POINT_TO_POINT_BLACK"));
        await sim.Http.PostAsJsonAsync("/_sim/calls", new { poolKey = RunningSimulator.PoolKey, secretNo = "17000000001", caller = first, callee = second });

        var everything = string.Join('\n', sim.Logs.Entries.Select(l => l.Message + " " + string.Join(' ', l.Values.Values)));
        foreach (var number in new[] { first, second, bought, "17000000001" })
        {
            Assert.DoesNotContain(number, everything, StringComparison.Ordinal);
        }

        Assert.Contains(sim.Logs.Entries, l => l.EventId == 9170 && l.Values["SecretNo"] == bought[..3] + "****" + bought[^4..]);
        Assert.Contains(sim.Logs.Entries, l => l.EventId == 9173 && l.Values["Operation"] == "Delete");
        Assert.Contains(sim.Logs.Entries, l => l.EventId == 9100 && l.Values["Action"] == "ReleaseSecretNo" && l.Values["Code"] == "OK");
    }
}
