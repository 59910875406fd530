using System.Net;
using System.Net.Sockets;
using BindingService.AliyunSimulator;
using Microsoft.AspNetCore.Builder;

namespace BindingService.Contract.Tests.Support;

/// <summary>
/// The Aliyun simulator in-process on real Kestrel at a fixed loopback port, reached over HTTP. It can be stopped and
/// started again on the same port (a provider outage, then its return), and its test-only control API is at
/// <see cref="Control"/>.
/// </summary>
public sealed class SimulatorProcess : IAsyncDisposable
{
    public const string AccessKeyId = "simulator-access-key";
    public const string AccessKeySecret = "simulator-access-secret";
    public const string AxbPool = "FC100000000000001";
    public const string AxnPool = "FC100000000000002";
    public const string AxnExtensionPool = "FC100000000000003";
    public const string AxgPool = "FC100000000000004";

    private readonly string[] settings;
    private WebApplication? app;

    private SimulatorProcess(int port, string[] settings)
    {
        this.settings = settings;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Control = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Control { get; }

    /// <summary>
    /// The running simulator's services (its store, its action handlers), for what no control endpoint shows, such as
    /// the blacklists or the list of actions it serves.
    /// </summary>
    public IServiceProvider Services => app?.Services ?? throw new InvalidOperationException("The simulator is not running.");

    /// <param name="settings">Simulator settings as <c>Key=value</c> below <c>Simulator:</c>.</param>
    public static async Task<SimulatorProcess> StartAsync(params string[] settings)
    {
        var simulator = new SimulatorProcess(FreePort(), settings);
        await simulator.StartAgainAsync();
        return simulator;
    }

    /// <summary>Starts the simulator (again) on its port, with its configured start state.</summary>
    public async Task StartAgainAsync()
    {
        if (app is not null)
        {
            throw new InvalidOperationException("The simulator is running.");
        }

        var args = new List<string> { "--urls", BaseAddress.ToString().TrimEnd('/'), "--Logging:LogLevel:Default=Error" };
        args.AddRange(settings.Select(s => "--Simulator:" + s));
        var started = SimulatorApp.Create([.. args]);
        await started.StartAsync();
        app = started;
    }

    /// <summary>Stops it: the port refuses connections until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (app is { } running)
        {
            app = null;
            await running.StopAsync();
            await running.DisposeAsync();
        }
    }

    public async Task ResetAsync() => (await Control.PostAsync("_sim/reset", null)).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Control.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
