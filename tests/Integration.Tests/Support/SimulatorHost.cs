using System.Net.Http.Json;
using System.Text.Json;
using BindingService.AliyunSimulator;
using Microsoft.AspNetCore.Builder;

namespace BindingService.Integration.Tests.Support;

/// <summary>The Aliyun simulator, running in-process on real Kestrel at a loopback port: the service reaches it over HTTP.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    public const string AccessKeyId = "simulator-access-key";
    public const string AccessKeySecret = "simulator-access-secret";
    public const string PoolKey = "FC100000000000001";
    public const string AxnPoolKey = "FC100000000000002";
    public const string AxnExtensionPoolKey = "FC100000000000003";
    public const string AxgPoolKey = "FC100000000000004";

    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Control = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    /// <summary>For the simulator's test-only /_sim control endpoints.</summary>
    public HttpClient Control { get; }

    public static Task<SimulatorHost> StartAsync(params string[] settings) => StartAsync(null, settings);

    /// <summary>As <see cref="StartAsync(string[])"/>, with <paramref name="configure"/> run on the simulator's builder (e.g. to route its receipt pushes).</summary>
    public static async Task<SimulatorHost> StartAsync(Action<WebApplicationBuilder>? configure, params string[] settings)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0" };
        args.AddRange(settings.Select(s => "--" + s));
        var app = SimulatorApp.Create([.. args], configure);
        await app.StartAsync();
        var address = app.Urls.First();
        return new SimulatorHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async Task ResetAsync() => (await Control.PostAsync("_sim/reset", null)).EnsureSuccessStatusCode();

    /// <summary>Every binding the simulator holds (its own view, with numbers in clear: it is the provider).</summary>
    public async Task<IReadOnlyList<JsonElement>> BindingsAsync()
    {
        var all = await Control.GetFromJsonAsync<JsonElement>("_sim/bindings");
        return all.ValueKind == JsonValueKind.Array ? all.EnumerateArray().ToList() : [.. all.GetProperty("bindings").EnumerateArray()];
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
