using System.Text.Json;
using System.Text.Json.Serialization;
using BindingService.Api.Endpoints;
using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
using BindingService.Application;
using BindingService.Infrastructure;
using BindingService.Infrastructure.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Serilog;

var builder = WebApplication.CreateBuilder(args);

builder.AddStructuredLogging();
builder.AddTelemetry();

builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemCatalogue.Customize);
builder.Services.AddExceptionHandler<GlobalExceptionHandler>();

// Every request body refuses members it does not define (400 request.unknown_member, GlobalExceptionHandler): a
// misspelt "expiresAt" or "recording" would otherwise be dropped silently and the default applied. Only reading is
// affected; responses are written as before.
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow);
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddOpenApi(ApiDocument.Configure);
builder.Services.AddApplication(builder.Configuration);
builder.Services.AddInfrastructure(builder.Configuration);
builder.Services.AddScoped<CallerContext>();

// Graceful shutdown (docs/operations.md): on SIGTERM readiness fails at once, Kestrel stops accepting and drains the
// in-flight requests, then the background jobs finish the batch they are in; all within Hosting:ShutdownTimeout.
builder.Services.AddOptions<HostingOptions>().Bind(builder.Configuration.GetSection(HostingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<HostOptions>().Configure<IOptions<HostingOptions>>((host, hosting) => host.ShutdownTimeout = hosting.Value.ShutdownTimeout);
builder.Services.AddHealthChecks().AddCheck<StoppingHealthCheck>(StoppingHealthCheck.Name, tags: ["ready"]);

var app = builder.Build();

if (args is ["migrate", ..])
{
    // The explicit migration command: `BindingService.Api migrate` applies pending migrations and exits.
    await app.Services.MigrateDatabaseAsync();
    app.Logger.LogInformation("Database migrations applied");
    return 0;
}

if (app.Configuration.GetValue<bool>("Database:MigrateOnStartup"))
{
    await app.Services.MigrateDatabaseAsync();
}

app.UseMiddleware<RequestIdMiddleware>();
app.UseSerilogRequestLogging(options =>
{
    // Paths carry order ids, never phone numbers; bodies are not logged.
    options.GetLevel = (context, _, exception) => exception is not null || context.Response.StatusCode >= 500
        ? Serilog.Events.LogEventLevel.Error
        : context.Request.Path.StartsWithSegments("/health") ? Serilog.Events.LogEventLevel.Verbose : Serilog.Events.LogEventLevel.Information;
});

// Inside the request log, so the log records the status the exception handler answers (503 for a database outage), not 500.
app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapOpenApi();
app.MapScalarApiReference();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains("ready"),
    ResponseWriter = WriteHealthAsync,
});
app.MapRideOrders();
app.MapDeliveryOrders();
app.MapBindings();
app.MapPools();
app.MapProviderReceipts();
app.MapCalls();

await app.RunAsync();
return 0;

static Task WriteHealthAsync(HttpContext context, HealthReport report)
{
    context.Response.ContentType = "application/json";
    return context.Response.WriteAsync(JsonSerializer.Serialize(new
    {
        status = report.Status.ToString(),
        checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
    }));
}

/// <summary>Entry point, visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
