using System.Net.Http.Json;
using System.Text.Json;

namespace BindingService.AliyunSimulator.Tests.Support;

/// <summary>The default pools of the other products (docs/simulator.md, Defaults) and calls on them.</summary>
public static class ProductCalls
{
    public const string AxnPool = "FC100000000000002";
    public const string AxnExtensionPool = "FC100000000000003";
    public const string AxgPool = "FC100000000000004";

    /// <summary>A bind action in <paramref name="poolKey"/> for A, expiring in two hours, plus any extra parameters.</summary>
    public static Task<PopResponse> BindInAsync(this RunningSimulator sim, string action, string poolKey, string phoneNoA, params (string Name, string Value)[] extra) =>
        sim.Pop.PostAsync(action, [("PoolKey", poolKey), ("PhoneNoA", phoneNoA), ("Expiration", sim.ChinaTime(TimeSpan.FromHours(2))), .. extra]);

    /// <summary>A bind that must succeed: its SecretBindDTO.</summary>
    public static async Task<JsonElement> BindOkInAsync(this RunningSimulator sim, string action, string poolKey, string phoneNoA, params (string Name, string Value)[] extra)
    {
        var response = await sim.BindInAsync(action, poolKey, phoneNoA, extra);
        Assert.True(response.Code == "OK", $"{action} failed: {response}");
        return response.Field("SecretBindDTO");
    }

    /// <summary>CreateAxgGroup in the default AXG pool that must succeed: the GroupId.</summary>
    public static async Task<long> CreateGroupOkAsync(this RunningSimulator sim, params string[] numbers)
    {
        var response = await sim.Pop.PostAsync("CreateAxgGroup", [("PoolKey", AxgPool), .. numbers.Length > 0 ? [("Numbers", string.Join(',', numbers))] : Array.Empty<(string, string)>()]);
        Assert.True(response.Code == "OK", $"CreateAxgGroup failed: {response}");
        return response.Field("GroupId").GetInt64();
    }

    public static Task<PopResponse> QueryInAsync(this RunningSimulator sim, string poolKey, JsonElement dto) =>
        sim.Pop.PostAsync("QuerySubscriptionDetail", ("PoolKey", poolKey), ("SubsId", Text(dto, "SubsId")), ("PhoneNoX", Text(dto, "SecretNo")));

    public static async Task<JsonElement[]> ControlListAsync(this RunningSimulator sim, string path) =>
        [.. (await sim.Http.GetFromJsonAsync<JsonElement>(path)).EnumerateArray()];

    public static string Text(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
