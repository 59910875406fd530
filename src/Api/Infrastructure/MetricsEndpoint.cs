using System.Globalization;
using OpenTelemetry.Metrics;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// The Prometheus scrape endpoint (docs/operations.md, "Metrics and dashboards"): <c>GET /metrics</c> on the management
/// port <c>Hosting:ManagementPort</c> only, alongside the OTLP export (OpenTelemetry:Exporter). The port is added to
/// the URLs the service listens on; a request that arrives on the main port never reaches the scrape endpoint, and the
/// management port serves nothing but <c>/metrics</c> and <c>/health/*</c>. No port configured: no scrape endpoint.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Registers the Prometheus exporter and adds the management port to the listening URLs.</summary>
    public static void AddManagementPort(this WebApplicationBuilder builder)
    {
        if (ManagementPort(builder.Configuration) is not { } port)
        {
            return;
        }

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter());

        // Explicit Listen calls would replace the configured URLs (--urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS): extend them instead.
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrWhiteSpace(urls))
        {
            var httpPorts = builder.WebHost.GetSetting(WebHostDefaults.HttpPortsKey);
            urls = string.IsNullOrWhiteSpace(httpPorts)
                ? "http://localhost:5000"
                : string.Join(';', httpPorts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        }

        builder.WebHost.UseUrls($"{urls};http://*:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Serves <c>/metrics</c> on the management port and keeps that port to metrics and health.</summary>
    public static void UseManagementPort(this WebApplication app)
    {
        if (ManagementPort(app.Configuration) is not { } port)
        {
            return;
        }

        app.Use((context, next) =>
        {
            if (context.Connection.LocalPort == port && !context.Request.Path.Equals(Path, StringComparison.Ordinal) && !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port && context.Request.Path.Equals(Path, StringComparison.Ordinal));
    }

    private static int? ManagementPort(IConfiguration configuration) =>
        configuration.GetValue<int?>($"{HostingOptions.SectionName}:{nameof(HostingOptions.ManagementPort)}") is { } port and > 0 ? port : null;
}
