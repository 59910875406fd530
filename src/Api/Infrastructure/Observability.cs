using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Configuration;
using Serilog.Formatting.Compact;

namespace BindingService.Api.Infrastructure;

internal static class Observability
{
    public const string ServiceName = "binding-service";

    /// <summary>
    /// Serilog JSON to stdout (<see cref="StdoutJsonSink"/>, plus an optional JSON file at Logging:JsonFilePath), enriched with the
    /// request id. Levels and overrides come from the "Serilog" section. The sinks are written in the background from one
    /// bounded buffer (<see cref="BackgroundLogSink"/>, <see cref="LogBufferMetrics.BufferSize"/> events): a request
    /// never waits for stdout or the disk — with inline socket completions a wait there would stall every connection of
    /// the thread (docs/performance.md) —, a full buffer drops new events and counts them, and the buffer is drained when
    /// the host stops.
    /// </summary>
    public static void AddStructuredLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LogBufferMetrics>();
        builder.Services.AddSerilog((services, logger) =>
        {
            var buffers = services.GetRequiredService<LogBufferMetrics>();
            var path = builder.Configuration["Logging:JsonFilePath"];
            logger.ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Service", ServiceName);
            var stdout = new StdoutJsonSink(new RenderedCompactJsonFormatter(), Console.OpenStandardOutput());
            var sinks = LoggerSinkConfiguration.CreateSink(configure =>
            {
                configure.Sink(stdout);
                if (path is { Length: > 0 })
                {
                    configure.File(new RenderedCompactJsonFormatter(), path, shared: true, flushToDiskInterval: TimeSpan.FromMilliseconds(200));
                }
            });
            logger.WriteTo.Sink(buffers.Track(new BackgroundLogSink(sinks, LogBufferMetrics.BufferSize, afterBatch: stdout.Flush)));
        });
    }

    /// <summary>
    /// Traces (ASP.NET Core, HttpClient, Npgsql, MassTransit, our own "BindingService.*" sources: Aliyun calls, the
    /// outbox's publish spans, the jobs' run spans — see OutboxTracing and PeriodicJob) and metrics, exported by
    /// OpenTelemetry:Exporter = none (default) | console | otlp (OTEL_EXPORTER_OTLP_ENDPOINT etc.).
    /// </summary>
    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        var exporter = builder.Configuration["OpenTelemetry:Exporter"]?.Trim().ToLowerInvariant() ?? "none";
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSource("MassTransit")
                    .AddSource("BindingService.*");
                switch (exporter)
                {
                    case "console":
                        tracing.AddConsoleExporter();
                        break;
                    case "otlp":
                        tracing.AddOtlpExporter();
                        break;
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddMeter("MassTransit")
                    // Refusals of callers (docs/operations.md, "Callers"): 401/403 by scheme and policy, 429/503 by limiter.
                    .AddMeter("Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization", "Microsoft.AspNetCore.RateLimiting")
                    .AddMeter("BindingService.*");
                switch (exporter)
                {
                    case "console":
                        metrics.AddConsoleExporter();
                        break;
                    case "otlp":
                        metrics.AddOtlpExporter();
                        break;
                }
            });
    }
}
