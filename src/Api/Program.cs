using System.Text.Json;
using System.Text.Json.Serialization;
using BindingService.Api.Endpoints;
using BindingService.Api.Infrastructure;
using BindingService.Api.Infrastructure.Auth;
using BindingService.Api.Infrastructure.Limits;
using BindingService.Api.OpenApi;
using BindingService.Application;
using BindingService.Application.Bindings;
using BindingService.Infrastructure;
using BindingService.Infrastructure.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Serilog;

if (args is ["dev-token", .. var tokenArgs])
{
    // A token for local calls, signed by a development key (scripts/run.sh prints one): see DevTokens.
    return DevTokens.Run(tokenArgs, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddSecretFiles();
ProductionGuards.Enforce(builder.Environment, builder.Configuration);

builder.AddStructuredLogging();
builder.AddTelemetry();
builder.AddManagementPort();

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
builder.AddCallerAuthentication();
builder.AddRequestLimits();
builder.UseSocketScheduling(SocketScheduling.InlineCompletions);

// Graceful shutdown (docs/operations.md): on SIGTERM readiness fails at once, Kestrel stops accepting and drains the
// in-flight requests, then the background jobs finish the batch they are in; all within Hosting:ShutdownTimeout.
builder.Services.AddOptions<HostingOptions>().Bind(builder.Configuration.GetSection(HostingOptions.SectionName)).ValidateDataAnnotations()
    .Validate(o => o.NativeHeapTrimInterval == TimeSpan.Zero || o.NativeHeapTrimInterval >= TimeSpan.FromSeconds(1), "Hosting:NativeHeapTrimInterval must be 0 (off) or at least 1 second.")
    .ValidateOnStart();
builder.Services.AddOptions<HostOptions>().Configure<IOptions<HostingOptions>>((host, hosting) => host.ShutdownTimeout = hosting.Value.ShutdownTimeout);
builder.Services.AddHealthChecks().AddCheck<StoppingHealthCheck>(StoppingHealthCheck.Name, tags: ["ready"]);
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddHostedService<NativeHeapTrim>(); // the C heap's free pages back to the system (docs/operations.md, "Memory")

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

app.UseManagementPort();
app.Use(SingleSendResponseBody.InvokeAsync); // a small response body leaves with the response's end, in one send
app.UseMiddleware<RequestIdMiddleware>();
app.UseSerilogRequestLogging(options =>
{
    // Paths carry order ids, never phone numbers; bodies are not logged.
    options.GetLevel = (context, _, exception) => exception is not null || context.Response.StatusCode >= 500
        ? Serilog.Events.LogEventLevel.Error
        : context.Request.Path.StartsWithSegments("/health") ? Serilog.Events.LogEventLevel.Verbose : Serilog.Events.LogEventLevel.Information;

    // The one line per request (docs/operations.md, 'Logs') names the binding the request created or changed.
    options.EnrichDiagnosticContext = (diagnostics, context) =>
    {
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpActivityFeature>()?.Activity.GetTagItem(BindingLifecycle.BindingIdTag) is string bindingId)
        {
            diagnostics.Set("BindingId", bindingId);
        }
    };
});

// Inside the request log, so the log records the status the exception handler answers (503 for a database outage), not 500.
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouting();
app.UseRequestBodyLimit();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseRequestTimeouts();

// The OpenAPI document and the API reference: on, except in Production unless Hosting:ExposeApiReference is set.
if (!app.Environment.IsProduction() || app.Services.GetRequiredService<IOptions<HostingOptions>>().Value.ExposeApiReference)
{
    app.MapOpenApi().AllowAnonymous();
    app.MapScalarApiReference(SecurityDocs.ConfigureReference).AllowAnonymous();
}

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableRateLimiting().DisableRequestTimeout();
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains("ready"),
    ResponseWriter = WriteHealthAsync,
}).AllowAnonymous().DisableRateLimiting().DisableRequestTimeout();

// Every business endpoint needs a token with its line's scope (docs/security.md) and draws on its caller's bucket.
app.MapGroup(string.Empty).RequireAuthorization(Scopes.Rides).RequireRateLimiting("rides").MapRideOrders();
app.MapGroup(string.Empty).RequireAuthorization(Scopes.Deliveries).RequireRateLimiting("deliveries").MapDeliveryOrders();
app.MapGroup(string.Empty).RequireAuthorization(Scopes.Deliveries).RequireRateLimiting("deliveries").MapPickUpWaybills();
app.MapGroup(string.Empty).RequireAuthorization(Scopes.Bindings).RequireRateLimiting("bindings").MapBindings();
app.MapGroup(string.Empty).RequireAuthorization(Scopes.PoolsAdmin).RequireRateLimiting("admin").MapPools();
app.MapGroup(string.Empty).RequireAuthorization(Scopes.PoolsAdmin).RequireRateLimiting("admin").MapAdminNumbers();
app.MapGroup(string.Empty).RequireAuthorization(Scopes.PoolsAdmin).RequireRateLimiting("admin").MapNumberEncryption();
app.MapGroup(string.Empty).RequireAuthorization(Scopes.PoolsAdmin).RequireRateLimiting("admin").MapAdminBlacklists();

// Each business line's call log under its own scope; calls by id and generic bindings' calls under "bindings".
var calls = app.MapCalls();
calls.Rides.RequireAuthorization(Scopes.Rides).RequireRateLimiting("rides");
calls.Deliveries.RequireAuthorization(Scopes.Deliveries).RequireRateLimiting("deliveries");
calls.Bindings.RequireAuthorization(Scopes.Bindings).RequireRateLimiting("bindings");

// Aliyun's receipt pushes: authenticated by the deployment's receipt secret, not a caller token (docs/receipts.md);
// batches may be larger than a caller's body limit.
app.MapProviderReceipts()
    .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ProviderReceipts.MaxBodyBytes), new SecuredBy(SecurityDocs.ReceiptSchemeName))
    .DisableRateLimiting();

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
