using System.ComponentModel.DataAnnotations;

namespace BindingService.Api.Infrastructure;

/// <summary>Configuration section "Hosting": how the process stops (docs/operations.md, "Graceful shutdown").</summary>
public sealed class HostingOptions
{
    public const string SectionName = "Hosting";

    /// <summary>
    /// How long a stop (SIGTERM) may take: Kestrel drains in-flight requests, then the background jobs finish the
    /// batch they are in. Keep it below the pod's termination grace period minus the preStop pause.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Serve the OpenAPI document and the API reference in Production too (always served elsewhere).</summary>
    public bool ExposeApiReference { get; set; }

    /// <summary>
    /// The management port: Prometheus scrapes <c>GET /metrics</c> there (src/Api/Infrastructure/MetricsEndpoint.cs); the main
    /// port never serves it. 0 (the default): no scrape endpoint, metrics go out over OTLP only.
    /// </summary>
    [Range(0, 65535)]
    public int ManagementPort { get; set; }

    /// <summary>
    /// How often the C heap's free pages go back to the system (<see cref="NativeHeapTrim"/>, glibc only; docs/operations.md,
    /// "Memory"). 0 turns it off; otherwise at least a second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan NativeHeapTrimInterval { get; set; } = TimeSpan.FromMinutes(1);
}
