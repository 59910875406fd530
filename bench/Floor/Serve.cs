using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Formatting.Compact;

namespace BindingService.Bench.Floor;

/// <summary>
/// The minimal service: one endpoint, POST /protect, doing with each library what a protect of the API does with it —
/// Kestrel and minimal APIs (always), a JSON line per request (serilog), a JWT bearer token (auth), a provider call
/// through a resilient HttpClient (http; here to this process's own /echo), a pooled EF Core context saving a row,
/// changing it and adding an outbox row in one transaction (ef), a MassTransit publish with every event type's
/// topology deployed at start (mt), and traces and metrics (otel). Nothing else: no validation, no idempotency, no
/// number selection.
/// </summary>
internal static class Serve
{
    public static async Task<int> RunAsync(int port, IReadOnlySet<string> parts)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();

        if (parts.Contains("serilog"))
        {
            builder.Services.AddSerilog(logger => logger
                // One line per request at Information, as the API: the request line; everything else from Warning.
                .MinimumLevel.Warning()
                .MinimumLevel.Override("Serilog.AspNetCore.RequestLoggingMiddleware", Serilog.Events.LogEventLevel.Information)
                .WriteTo.Console(new RenderedCompactJsonFormatter()));
        }

        if (parts.Contains("auth"))
        {
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = Tokens.Issuer,
                    ValidAudience = Tokens.Audience,
                    IssuerSigningKey = Tokens.Key,
                };
            });
            builder.Services.AddAuthorization();
        }

        if (parts.Contains("http"))
        {
            builder.Services.AddHttpClient("provider", c => c.BaseAddress = new Uri($"http://127.0.0.1:{port}/"))
                .RemoveAllLoggers()
                .AddStandardResilienceHandler();
        }

        if (parts.Contains("ef"))
        {
            var connection = Environment.GetEnvironmentVariable("FLOOR_POSTGRES")
                ?? throw new InvalidOperationException("FLOOR_POSTGRES is not set");
            builder.Services.AddDbContextPool<FloorDbContext>(o => o
                .UseNpgsql(connection, npgsql => npgsql.EnableRetryOnFailure(3, TimeSpan.FromSeconds(2), null))
                .UseSnakeCaseNamingConvention());
        }

        if (parts.Contains("mt"))
        {
            var amqp = new Uri(Environment.GetEnvironmentVariable("FLOOR_RABBITMQ")
                ?? throw new InvalidOperationException("FLOOR_RABBITMQ is not set"));
            builder.Services.AddMassTransit(bus => bus.UsingRabbitMq((context, rabbit) =>
            {
                var user = amqp.UserInfo.Split(':');
                rabbit.Host(amqp.Host, (ushort)amqp.Port, "/", h =>
                {
                    h.Username(Uri.UnescapeDataString(user[0]));
                    h.Password(Uri.UnescapeDataString(user[1]));
                });
                rabbit.DeployPublishTopology = true;
                foreach (var type in FloorEvents.All)
                {
                    rabbit.Publish(type, _ => { });
                }

                rabbit.ConfigureEndpoints(context);
            }));
        }

        if (parts.Contains("otel"))
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("floor"))
                .WithTracing(t => t
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSource("MassTransit"))
                .WithMetrics(m => m
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddMeter("MassTransit")
                    .AddPrometheusExporter());
        }

        await using var app = builder.Build();
        if (parts.Contains("create"))
        {
            // The schema, made by a process of its own (as the benchmark runs the API's `migrate` before the API):
            // what creating it loads is not counted in the service's resident set.
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FloorDbContext>();
            await db.Database.EnsureDeletedAsync();
            await db.Database.EnsureCreatedAsync();
            return 0;
        }

        if (parts.Contains("serilog"))
        {
            app.UseSerilogRequestLogging();
        }

        if (parts.Contains("auth"))
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        if (parts.Contains("otel"))
        {
            app.MapPrometheusScrapingEndpoint();
        }

        app.MapHealthChecks("/health");
        app.MapPost("/echo", (EchoBody body) => Results.Ok(new EchoBody(body.Value, "X" + body.Value)));
        app.MapPost("/trim", () => Results.Ok(Trim()));
        var protect = app.MapPost("/protect", (ProtectRequest request, HttpContext http, CancellationToken ct) =>
            ProtectAsync(request, http.RequestServices, parts, ct));
        if (parts.Contains("auth"))
        {
            protect.RequireAuthorization();
        }

        await app.RunAsync();
        return 0;
    }

    private static async Task<IResult> ProtectAsync(ProtectRequest request, IServiceProvider services, IReadOnlySet<string> parts, CancellationToken ct)
    {
        var virtualNumber = "170" + request.OrderId.GetHashCode().ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        if (parts.Contains("http"))
        {
            var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("provider");
            using var response = await client.PostAsJsonAsync("echo", new EchoBody(request.OrderId, null), ct);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<EchoBody>(ct);
            virtualNumber = body?.Reply ?? virtualNumber;
        }

        var id = Guid.CreateVersion7();
        var eventType = FloorEvents.All[id.GetHashCode() & 15];
        if (parts.Contains("ef"))
        {
            var db = services.GetRequiredService<FloorDbContext>();
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var now = DateTimeOffset.UtcNow;
                var row = new FloorBinding
                {
                    Id = id, OrderId = request.OrderId, PhoneA = request.PhoneA, PhoneB = request.PhoneB,
                    BusinessLine = "ride", Status = "Pending", CreatedAt = now, ExpiresAt = now.AddHours(2),
                    PhoneHash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(request.PhoneA + request.PhoneB)),
                };
                db.Bindings.Add(row);
                await db.SaveChangesAsync(ct);
                row.Status = "Active";
                row.VirtualNumber = virtualNumber;
                row.SubscriptionId = "S" + id.ToString("N");
                row.UpdatedAt = now;
                row.Version++;
                db.Outbox.Add(new FloorOutbox
                {
                    Id = Guid.CreateVersion7(), MessageType = eventType.Name,
                    Payload = $"{{\"bindingId\":\"{id}\"}}", CreatedAt = now,
                });
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            });
            _ = await db.Bindings.AsNoTracking().Where(b => b.OrderId == request.OrderId && b.Status == "Active")
                .Select(b => new { b.Id, b.VirtualNumber }).FirstOrDefaultAsync(ct);
        }

        if (parts.Contains("mt"))
        {
            var message = Activator.CreateInstance(eventType, id, request.OrderId, virtualNumber, DateTimeOffset.UtcNow)!;
            await services.GetRequiredService<IPublishEndpoint>().Publish(message, eventType, ct);
        }

        return Results.Ok(new ProtectResponse(id, virtualNumber));
    }

    /// <summary>
    /// What the process holds now, after handing the C heap's free pages back (as src/Api's NativeHeapTrim does every
    /// minute), so that the figure is the libraries' and not glibc's.
    /// </summary>
    private static FloorStats Trim()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect();
        try
        {
            _ = MallocTrim(0);
        }
        catch (DllNotFoundException)
        {
            // Not glibc: nothing to hand back.
        }

        return new FloorStats(
            AppDomain.CurrentDomain.GetAssemblies().Length,
            System.Runtime.JitInfo.GetCompiledMethodCount(),
            GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0,
            GC.GetTotalMemory(false) / 1048576.0);
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim", ExactSpelling = true)]
    private static extern int MallocTrim(nuint pad);
}

internal sealed class FloorBinding
{
    public Guid Id { get; set; }
    public required string OrderId { get; set; }
    public required string PhoneA { get; set; }
    public required string PhoneB { get; set; }
    public string? VirtualNumber { get; set; }
    public required string BusinessLine { get; set; }
    public required string Status { get; set; }
    public string? SubscriptionId { get; set; }
    public byte[]? PhoneHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
    public string? Extension { get; set; }
    public string? CallDisplay { get; set; }
    public bool Recording { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public int Version { get; set; }
}

internal sealed class FloorOutbox
{
    public Guid Id { get; set; }
    public required string MessageType { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
}

internal sealed class FloorDbContext(DbContextOptions<FloorDbContext> options) : DbContext(options)
{
    public DbSet<FloorBinding> Bindings => Set<FloorBinding>();

    public DbSet<FloorOutbox> Outbox => Set<FloorOutbox>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FloorBinding>(b =>
        {
            b.HasIndex(x => x.OrderId);
            b.Property(x => x.Version).IsConcurrencyToken();
            // A converter on the phone columns, as the API's encrypting ones (here a reversible no-op).
            b.Property(x => x.PhoneA).HasConversion(v => "e:" + v, v => v.Substring(2));
            b.Property(x => x.PhoneB).HasConversion(v => "e:" + v, v => v.Substring(2));
        });
        modelBuilder.Entity<FloorOutbox>(b => b.HasIndex(x => x.SentAt));
    }
}

internal static class Tokens
{
    public const string Issuer = "floor";
    public const string Audience = "floor";
    public static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("floor-bench-signing-key-of-32-bytes!!"));
}

internal sealed record ProtectRequest(string OrderId, string PhoneA, string PhoneB);

internal sealed record ProtectResponse(Guid Id, string VirtualNumber);

internal sealed record EchoBody(string Value, string? Reply);

internal sealed record FloorStats(int Assemblies, long JitCompiledMethods, double GcCommittedMb, double GcLiveMb);
