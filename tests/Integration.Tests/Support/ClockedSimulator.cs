using System.Net.Http.Json;
using System.Text.Json;
using BindingService.AliyunSimulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// The Aliyun simulator in-process on real Kestrel (as <see cref="SimulatorHost"/>), on a clock the test gives it: a
/// test that moves time forward for the service moves it for the provider too (its GmtCreate, its expiries, its
/// timestamp check), so "minutes later" holds on both sides while the test takes seconds.
/// </summary>
public sealed class ClockedSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClockedSimulator(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Control = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    /// <summary>For the simulator's test-only /_sim control endpoints (docs/simulator.md).</summary>
    public HttpClient Control { get; }

    /// <param name="clock">The simulator's clock.</param>
    /// <param name="settings">Simulator settings as <c>Key=value</c> (docs/simulator.md, "Configuration").</param>
    public static async Task<ClockedSimulator> StartAsync(TimeProvider clock, params string[] settings)
    {
        var app = SimulatorApp.Create(["--urls", "http://127.0.0.1:0", .. settings.Select(s => "--" + s)], builder => builder.Services.AddSingleton<TimeProvider>(clock));
        await app.StartAsync();
        var address = app.Urls.First();
        return new ClockedSimulator(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Every binding the simulator holds, unbound ones excluded (docs/simulator.md, GET /_sim/bindings).</summary>
    public async Task<IReadOnlyList<JsonElement>> BindingsAsync()
    {
        var all = await Control.GetFromJsonAsync<JsonElement>("_sim/bindings");
        return all.ValueKind == JsonValueKind.Array ? all.EnumerateArray().ToList() : [.. all.GetProperty("bindings").EnumerateArray()];
    }

    /// <summary>The SubsIds of the bindings in effect (status 1).</summary>
    public async Task<IReadOnlySet<string>> InEffectAsync() =>
        (await BindingsAsync()).Where(b => b.GetProperty("status").GetInt32() == 1).Select(b => b.GetProperty("subsId").GetString()!).ToHashSet();

    public async Task SetFaultsAsync(object faults)
    {
        using var response = await Control.PutAsJsonAsync("_sim/faults", new { faults });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task ClearFaultsAsync() => (await Control.DeleteAsync("_sim/faults")).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
