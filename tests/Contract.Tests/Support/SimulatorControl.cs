using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.AliyunSimulator.Control;

namespace BindingService.Contract.Tests.Support;

/// <summary>
/// The simulator's test-only control API (<c>/_sim/</c>, docs/simulator.md), read into the simulator's own view
/// records: what the provider holds after a call, and the seeding of what no API creates (call records).
/// </summary>
public sealed class SimulatorControl(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<List<BindingView>> BindingsAsync() => GetAsync<List<BindingView>>("_sim/bindings");

    /// <summary>The binding, or null when the simulator holds none with this SubsId (never created, or unbound).</summary>
    public async Task<BindingView?> BindingAsync(string subsId)
    {
        using var response = await http.GetAsync(new Uri("_sim/bindings/" + Uri.EscapeDataString(subsId), UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<BindingView>(Json);
    }

    public Task<List<NumberView>> NumbersAsync() => GetAsync<List<NumberView>>("_sim/numbers");

    public Task<List<GroupView>> GroupsAsync() => GetAsync<List<GroupView>>("_sim/groups");

    public Task<List<WaybillView>> WaybillsAsync() => GetAsync<List<WaybillView>>("_sim/waybills");

    public Task<List<CallView>> CallsAsync() => GetAsync<List<CallView>>("_sim/calls");

    /// <summary><c>POST /_sim/calls</c>: records a call (recordings, ASR result, held SMS); fails unless it is created.</summary>
    public async Task<CallView> RecordCallAsync(CallSeed seed)
    {
        using var response = await http.PostAsJsonAsync(new Uri("_sim/calls", UriKind.Relative), seed, Json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /_sim/calls answered {(int)response.StatusCode}.");
        return (await response.Content.ReadFromJsonAsync<CallView>(Json))!;
    }

    private async Task<T> GetAsync<T>(string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }
}
