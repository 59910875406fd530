using System.Security.Cryptography;
using BindingService.AliyunSimulator.Receipts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Respawn;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// The real service (its Program, through WebApplicationFactory) on a fresh PostgreSQL database with
/// migrations applied once, real RabbitMQ, and the Aliyun simulator over HTTP. Shared by the
/// "service" collection; <see cref="ResetAsync"/> wipes state between tests (Respawn + simulator reset).
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public static readonly string EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string HashKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private TestServers? _servers;
    private Respawner? _respawner;
    private TestDatabase? _database;

    public TestServers Servers => _servers ?? throw new InvalidOperationException("Not started.");

    public SimulatorHost Simulator { get; private set; } = null!;

    public BindingServiceFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public EventListener Events { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>
    /// Where the simulator's receipt pushes go: into <see cref="Factory"/>'s service (with <see cref="ReceiptSecret"/>).
    /// The simulator pushes only once a test sets its receipt URL (<c>PUT /_sim/receipts/settings</c>).
    /// </summary>
    public Receipts.PushRoute ReceiptRoute { get; } = new();

    public const string ReceiptSecret = "service-fixture-receipts";

    /// <summary>The JSON log output of every service instance of this test run, all fixtures together.</summary>
    public static readonly string RunLogPath = Path.Combine(Path.GetTempPath(), $"bindingservice-it-{Environment.ProcessId}-{DateTime.UtcNow:yyyyMMddHHmmss}.log");

    public string LogFilePath => RunLogPath;

    public async Task InitializeAsync()
    {
        _servers = await TestServers.StartAsync();
        _database = await TestDatabase.CreateAsync(Servers.PostgresAdminConnectionString, "bs_it");
        ConnectionString = _database.ConnectionString;
        Simulator = await SimulatorHost.StartAsync(
            builder => builder.Services.AddHttpClient(ReceiptPusher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => ReceiptRoute));
        Factory = new BindingServiceFactory(this);
        Client = Factory.CreateClient(); // starts the host, which applies the migrations (Database:MigrateOnStartup)
        ReceiptRoute.Target = Factory.Server.CreateHandler();
        Events = await EventListener.StartAsync(Servers.RabbitMqUri, ConnectionString);

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = ["__ef_migrations_history"],
        });
    }

    /// <summary>Settings the service runs with in the tests.</summary>
    public IReadOnlyDictionary<string, string?> Settings()
    {
        var settings = ServiceSettings.For(ConnectionString, Servers.RabbitMqUri, Simulator);
        settings["Logging:JsonFilePath"] = LogFilePath;
        settings["Serilog:MinimumLevel:Default"] = "Debug";
        settings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Information";
        settings["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Information";
        settings["Serilog:MinimumLevel:Override:System.Net.Http.HttpClient"] = "Information";
        settings["Receipts:Secret"] = ReceiptSecret;
        return settings;
    }

    public async Task ResetAsync()
    {
        await _respawner!.ResetAsync(ConnectionString);
        await Simulator.ResetAsync();
    }

    public Task<T?> ScalarAsync<T>(string sql) => ScalarAsync<T>(ConnectionString, sql);

    /// <summary>The first column of the first row of <paramref name="sql"/> on <paramref name="connectionString"/>, or default.</summary>
    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<string>> RowsAsTextAsync(string table)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

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
}

/// <summary>The service's real Program, configured for the test servers.</summary>
public sealed class BindingServiceFactory(ServiceFixture fixture, IReadOnlyDictionary<string, string?>? overrides = null) : TokenServiceFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in fixture.Settings())
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}
