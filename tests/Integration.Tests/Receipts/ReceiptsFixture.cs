using System.Net.Http.Json;
using System.Text.Json;
using BindingService.AliyunSimulator.Receipts;
using BindingService.Integration.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Respawn;

namespace BindingService.Integration.Tests.Receipts;

/// <summary>
/// The service with the receipt receiver on, and the simulator pushing its call receipts into it: the simulator's push
/// client is routed into the in-process service (<see cref="PushRoute"/>), so a push is a real HTTP request through the
/// service's whole pipeline. Real PostgreSQL and RabbitMQ; the listener hears the call and number events.
/// </summary>
public sealed class ReceiptsFixture : IAsyncLifetime
{
    public const string Secret = "receipts-test-secret";
    public const string CallEventsExchange = "BindingService.Contracts:ICallEvent";
    public const string HealthExchange = "BindingService.Contracts:VirtualNumberHealthChanged";

    private TestServers? _servers;
    private TestDatabase? _database;
    private Respawner? _respawner;

    /// <summary>Where the simulator's pushes go (the service, or a broken copy of it in the outage test).</summary>
    public PushRoute Route { get; } = new();

    public SimulatorHost Simulator { get; private set; } = null!;

    public WebApplicationFactory<BindingService.Api.Infrastructure.CallerContext> Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public EventListener Events { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public TestServers Servers => _servers!;

    public async Task InitializeAsync()
    {
        _servers = await TestServers.StartAsync();
        _database = await TestDatabase.CreateAsync(Servers.PostgresAdminConnectionString, "bs_rc");
        ConnectionString = _database.ConnectionString;
        Simulator = await SimulatorHost.StartAsync(
            builder => builder.Services.AddHttpClient(ReceiptPusher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Route),
            "Simulator:Receipts:TimeoutMs=10000");
        Factory = CreateFactory();
        Client = Factory.CreateClient();
        Route.Target = Factory.Server.CreateHandler();
        Events = await EventListener.StartAsync(Servers.RabbitMqUri, ConnectionString, CallEventsExchange, HealthExchange);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = ["__ef_migrations_history"],
        });
    }

    /// <summary>A service instance on this fixture's database, broker and simulator, with <paramref name="overrides"/>.</summary>
    public WebApplicationFactory<BindingService.Api.Infrastructure.CallerContext> CreateFactory(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = ServiceSettings.For(ConnectionString, Servers.RabbitMqUri, Simulator);
        settings["Receipts:Secret"] = Secret;
        settings["Receipts:PollInterval"] = "00:00:00.200";
        settings["Logging:JsonFilePath"] = ServiceFixture.RunLogPath; // the privacy scan reads the receipts' logs too
        settings.With(overrides);
        return new ReceiptServiceFactory(settings);
    }

    /// <summary>Clean state, and the simulator pushing to the service with <paramref name="duplicates"/> and <paramref name="reorder"/>.</summary>
    public async Task ResetAsync(bool duplicates = true, bool reorder = true, int[]? retryDelaysMs = null)
    {
        await _respawner!.ResetAsync(ConnectionString);

        await Simulator.ResetAsync();
        Route.Target = Factory.Server.CreateHandler();
        var settings = new
        {
            url = $"http://service/v1/provider-receipts/{{type}}?token={Secret}",
            duplicates,
            reorder,
            retryDelaysMs = retryDelaysMs ?? [50, 100, 200],
            timeoutMs = 10_000,
        };
        (await Simulator.Control.PutAsJsonAsync("_sim/receipts/settings", settings)).EnsureSuccessStatusCode();
    }

    /// <summary>The simulator's pushes, once none is queued or waiting for a retry.</summary>
    public async Task<IReadOnlyList<JsonElement>> SettledPushesAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var state = await Simulator.Control.GetFromJsonAsync<JsonElement>("_sim/receipts");
            if (state.GetProperty("pending").GetInt32() == 0)
            {
                return [.. state.GetProperty("pushes").EnumerateArray()];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The simulator still has receipt batches queued or waiting for a retry.");
            }

            await Task.Delay(50); // pacing: polls the simulator until its pushes have settled
        }
    }

    /// <summary>
    /// Waits until everything pushed is acknowledged and processed and every event published has reached the listener:
    /// pushes settled, no pending inbox row, outbox drained, then the listener's marker.
    /// </summary>
    public async Task WaitForQuietAsync(TimeSpan? timeout = null)
    {
        await SettledPushesAsync(timeout);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (await ScalarAsync<long>("SELECT count(*) FROM receipt_inbox WHERE status = 'Pending'") > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The receipt inbox still holds pending rows.");
            }

            await Task.Delay(50); // pacing: polls the inbox until the processor has taken everything
        }

        await Events.WaitForQuietAsync(timeout);
    }

    public Task<T?> ScalarAsync<T>(string sql) => ServiceFixture.ScalarAsync<T>(ConnectionString, sql);

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        if (Events is not null)
        {
            await Events.DisposeAsync();
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }

    private sealed class ReceiptServiceFactory(IReadOnlyDictionary<string, string?> settings) : TokenServiceFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

/// <summary>The simulator's push client's handler: forwards to whichever in-process service is the target now.</summary>
public sealed class PushRoute : HttpMessageHandler
{
    private volatile HttpMessageHandler? _target;

    public HttpMessageHandler? Target
    {
        get => _target;
        set => _target = value;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = _target ?? throw new InvalidOperationException("No service to push to yet.");
        using var invoker = new HttpMessageInvoker(target, disposeHandler: false);
        return await invoker.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        // The targets belong to their factories; the client factory's handler rotation must not dispose them.
    }
}

[CollectionDefinition(Name)]
public sealed class ReceiptsCollection : ICollectionFixture<ReceiptsFixture>
{
    public const string Name = "receipts";
}
