using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Control;
using BindingService.AliyunSimulator.Gateway;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator;

/// <summary>
/// Builds the simulator: Dyplsapi at <c>/</c> and, unless <c>Simulator:ControlApi</c> is false, the
/// <c>/_sim/</c> control endpoints. <c>Program.cs</c> runs it; tests run it in-process on real Kestrel:
/// <code>
/// var app = SimulatorApp.Create(["--urls", "http://127.0.0.1:0", "--Simulator:MaxAxbPairsPerX=2"],
///     builder => builder.Services.AddSingleton&lt;TimeProvider&gt;(fakeClock));
/// await app.StartAsync();
/// // Kestrel has bound a free port by now, and replaced the ":0" address with the real one:
/// // app.Urls (the server's IServerAddressesFeature.Addresses) holds e.g. "http://127.0.0.1:53817".
/// var baseAddress = new Uri(app.Urls.First());
/// ...
/// await app.StopAsync(); await app.DisposeAsync();
/// </code>
/// </summary>
public static class SimulatorApp
{
    /// <param name="args">Command-line arguments: <c>--urls</c>, and any setting as <c>--Simulator:Key=value</c>.</param>
    /// <param name="configure">
    /// Runs after the simulator's own registrations and before <c>Build()</c>: add configuration sources, or
    /// replace services (a registration made here wins, e.g. a fake <see cref="TimeProvider"/>).
    /// </param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SimulatorApp).Assembly.GetName().Name,
        });

        // Quiet framework defaults (lowest precedence: appsettings, environment and --Logging:... override them).
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });

        // The host's request logging writes the full URL, and a GET carries phone numbers in its query string.
        // Added in code, after the configuration's rules, so configuration cannot turn it back on.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        builder.Services.AddAliyunSimulator(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        SimulatorOptions options;
        try
        {
            // Reading the options validates them: bad configuration fails here, naming the key.
            options = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        app.MapDyplsapi();
        if (options.ControlApi)
        {
            app.MapSimulatorControl();
        }

        return app;
    }
}
