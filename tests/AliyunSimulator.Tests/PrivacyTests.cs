using BindingService.AliyunSimulator.Tests.Support;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>The simulator logs actions, codes and request ids, and never a phone number in clear.</summary>
public sealed class PrivacyTests
{
    [Fact]
    public async Task Logs_CarryActionCodeAndRequestId_ButNoPhoneNumberInClear()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (a, b, newB) = ("13812345678", "13987654321", "13711112222");

        // GET puts the numbers in the URL, where the host's request logging would otherwise write them.
        var bind = await sim.Pop.GetAsync(
            "BindAxb", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", a), ("PhoneNoB", b), ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))));
        var dto = bind.Field("SecretBindDTO");
        var (subsId, x) = (dto.GetProperty("SubsId").GetString()!, dto.GetProperty("SecretNo").GetString()!);
        await sim.Pop.GetAsync("UpdateSubscription", ("PoolKey", RunningSimulator.PoolKey), ("SubsId", subsId), ("PhoneNoX", x), ("OperateType", "updateNoB"), ("PhoneNoB", newB));
        await sim.Pop.GetAsync("QuerySubscriptionDetail", ("PoolKey", RunningSimulator.PoolKey), ("SubsId", subsId), ("PhoneNoX", x));
        await sim.Pop.GetAsync("BindAxb", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", a), ("PhoneNoB", "1-2"), ("Expiration", "x"));
        await sim.Pop.GetAsync("Bind" + a, ("PhoneNoA", a));
        await sim.Pop.GetAsync("UnbindSubscription", ("PoolKey", RunningSimulator.PoolKey), ("SubsId", subsId), ("SecretNo", x));
        await sim.Http.GetAsync("/_sim/bindings");

        var logs = sim.Logs.Entries;
        Assert.NotEmpty(logs);
        var everything = string.Join('\n', logs.Select(l => l.Message + " " + string.Join(' ', l.Values.Values)));
        foreach (var number in new[] { a, b, newB, x })
        {
            Assert.DoesNotContain(number, everything, StringComparison.Ordinal);
        }

        Assert.Contains("138****5678", everything, StringComparison.Ordinal);
        var answered = logs.Where(l => l.EventId == 9100).ToList();
        Assert.Contains(answered, l => l.Values["Action"] == "BindAxb" && l.Values["Code"] == "OK" && l.Values["RequestId"] == bind.RequestId);
        Assert.Contains(answered, l => l.Values["Action"] == "UpdateSubscription" && l.Values["Code"] == "OK");
        Assert.Contains(answered, l => l.Values["Action"] == "BindAxb" && l.Values["Code"] == "isv.MOBILE_NUMBER_ILLEGAL");
        Assert.Contains(logs, l => l.EventId == 9101 && l.Values["Code"] == "InvalidApi.NotFound" && l.Values["Action"] == "Bind138****5678");
    }
}
