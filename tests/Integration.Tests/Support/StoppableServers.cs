using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DotNet.Testcontainers.Containers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// A PostgreSQL and/or a RabbitMQ that one test class owns and may stop and start again (the fault tests), never the
/// shared servers. Where the Debian binaries exist they are private instances started through
/// <c>scripts/lib/local-servers.sh</c> (own directory under the system temp dir, own free ports, own RabbitMQ node
/// name and distribution port); a stop keeps their data, so a start brings back the databases, durable queues and
/// persistent messages. Otherwise (a Docker engine) they are Testcontainers containers with fixed host port
/// bindings, so a restarted container keeps its port (that path is not exercised on machines without Docker).
/// <see cref="DisposeAsync"/> stops and deletes everything, also when the test failed.
/// </summary>
public sealed class StoppableServers : IAsyncDisposable
{
    private const string PostgresBin = "/usr/lib/postgresql/15/bin/postgres";
    private const string RabbitMqServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(150);
    private static int _instances;

    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly List<string> _timings = [];
    private string? _script;
    private string? _directory;
    private bool _postgresRunning;
    private bool _rabbitRunning;
    private bool _postgresStarted;
    private bool _rabbitStarted;
    private PostgreSqlContainer? _postgresContainer;
    private RabbitMqContainer? _rabbitContainer;
    private int _disposed;

    private StoppableServers()
    {
    }

    /// <summary>Private instances through local-servers.sh (true) or Testcontainers containers (false).</summary>
    public bool IsLocal { get; private set; }

    /// <summary>A superuser connection string to the private PostgreSQL (no database chosen).</summary>
    public string PostgresAdminConnectionString { get; private set; } = string.Empty;

    /// <summary>amqp://guest:guest@127.0.0.1:port/ of the private RabbitMQ.</summary>
    public Uri RabbitMqUri { get; private set; } = null!;

    /// <summary>Every start and stop with its duration ("stop-rabbitmq 3.4 s"), for the test output.</summary>
    public IReadOnlyList<string> Timings
    {
        get
        {
            lock (_timings)
            {
                return [.. _timings];
            }
        }
    }

    public static bool LocalBinariesExist => File.Exists(PostgresBin) && File.Exists(RabbitMqServer);

    public static async Task<StoppableServers> StartAsync(bool postgres, bool rabbitMq)
    {
        var servers = new StoppableServers();
        try
        {
            if (LocalBinariesExist)
            {
                servers.PrepareLocal();
                if (postgres)
                {
                    await servers.StartPostgresAsync();
                }

                if (rabbitMq)
                {
                    await servers.StartRabbitMqAsync();
                }
            }
            else
            {
                await servers.StartContainersAsync(postgres, rabbitMq);
            }

            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    public Task<TimeSpan> StopRabbitMqAsync() => RunAsync("stop-rabbitmq", () => _rabbitContainer!.StopAsync(), running => _rabbitRunning = running, false);

    public Task<TimeSpan> StartRabbitMqAsync() => RunAsync("start-rabbitmq", () => _rabbitContainer!.StartAsync(), running => _rabbitRunning = running, true);

    public Task<TimeSpan> StopPostgresAsync() => RunAsync("stop-postgres", () => _postgresContainer!.StopAsync(), running => _postgresRunning = running, false);

    public Task<TimeSpan> StartPostgresAsync() => RunAsync("start-postgres", () => _postgresContainer!.StartAsync(), running => _postgresRunning = running, true);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        var failures = new List<Exception>();
        if (IsLocal && _script is not null && _directory is not null)
        {
            // Stops are idempotent (a stopped server is left alone): run them for every server we ever tried to
            // start, whatever state we believe it is in (a start may have failed half-way).
            var stops = new[] { (_rabbitStarted, "stop-rabbitmq"), (_postgresStarted, "stop-postgres") };
            foreach (var command in stops.Where(s => s.Item1).Select(s => s.Item2))
            {
                try
                {
                    await RunScriptAsync(command);
                }
                catch (Exception ex)
                {
                    failures.Add(ex);
                }
            }

            try
            {
                if (_directory is not null && Directory.Exists(_directory))
                {
                    Directory.Delete(_directory, recursive: true);
                }
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }

        foreach (var container in new IAsyncDisposable?[] { _rabbitContainer, _postgresContainer })
        {
            try
            {
                if (container is not null)
                {
                    await container.DisposeAsync();
                }
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("Stopping or deleting the fault test's private servers failed.", failures);
        }
    }

    private void PrepareLocal()
    {
        IsLocal = true;
        _script = FindScript();
        var id = $"{Environment.ProcessId}x{Interlocked.Increment(ref _instances)}";
        _directory = Path.Combine(Path.GetTempPath(), $"bsfault-{id}");
        Directory.CreateDirectory(_directory);
        var ports = FreePorts(3);
        _environment["BINDINGSERVICE_LOCAL_DIR"] = _directory;
        _environment["BINDINGSERVICE_PG_PORT"] = ports[0].ToString(CultureInfo.InvariantCulture);
        _environment["BINDINGSERVICE_RABBITMQ_PORT"] = ports[1].ToString(CultureInfo.InvariantCulture);
        _environment["BINDINGSERVICE_RABBITMQ_DIST_PORT"] = ports[2].ToString(CultureInfo.InvariantCulture);
        _environment["BINDINGSERVICE_RABBITMQ_NODE"] = $"bsfault{id}@localhost";
        _environment["BINDINGSERVICE_SERVER_START_TIMEOUT"] = "90";
        PostgresAdminConnectionString = $"Host=127.0.0.1;Port={ports[0]};Username=postgres;Password=postgres";
        RabbitMqUri = new Uri($"amqp://guest:guest@127.0.0.1:{ports[1]}/");

        // A test host that ends without disposing (a crash, an abort) must not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    private async Task StartContainersAsync(bool postgres, bool rabbitMq)
    {
        var ports = FreePorts(2);
        if (postgres)
        {
            _postgresContainer = new PostgreSqlBuilder("postgres:15").WithPortBinding(ports[0], PostgreSqlBuilder.PostgreSqlPort).Build();
            await RunAsync("start-postgres", () => _postgresContainer.StartAsync(), running => _postgresRunning = running, true);
            PostgresAdminConnectionString = _postgresContainer.GetConnectionString();
        }

        if (rabbitMq)
        {
            _rabbitContainer = new RabbitMqBuilder("rabbitmq:3.10-management").WithPortBinding(ports[1], RabbitMqBuilder.RabbitMqPort).Build();
            await RunAsync("start-rabbitmq", () => _rabbitContainer.StartAsync(), running => _rabbitRunning = running, true);
            RabbitMqUri = new Uri(_rabbitContainer.GetConnectionString());
        }
    }

    private async Task<TimeSpan> RunAsync(string command, Func<Task> container, Action<bool> setRunning, bool running)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        _postgresStarted |= command == "start-postgres";
        _rabbitStarted |= command == "start-rabbitmq";
        var watch = Stopwatch.StartNew();
        if (IsLocal)
        {
            await RunScriptAsync(command);
        }
        else
        {
            using var timeout = new CancellationTokenSource(ScriptTimeout);
            await container().WaitAsync(timeout.Token);
        }

        setRunning(running);
        watch.Stop();
        lock (_timings)
        {
            _timings.Add($"{command} {watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        }

        return watch.Elapsed;
    }

    /// <summary>bash local-servers.sh COMMAND with our overrides; its output goes to a log in our directory.</summary>
    private async Task RunScriptAsync(string command)
    {
        var log = Path.Combine(_directory!, "local-servers.log");
        await File.AppendAllTextAsync(log, $"=== {DateTimeOffset.UtcNow:O} {command}{Environment.NewLine}");
        var start = new ProcessStartInfo("/bin/bash")
        {
            // The script's servers outlive the script (setsid): no pipe of ours may reach them, so bash writes to a file.
            ArgumentList = { "-c", "exec bash \"$0\" \"$1\" >>\"$2\" 2>&1 </dev/null", _script!, command, log },
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"local-servers.sh {command} did not finish within {ScriptTimeout.TotalSeconds:0} s.{Environment.NewLine}{Tail(log)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"local-servers.sh {command} failed with exit code {process.ExitCode}.{Environment.NewLine}{Tail(log)}");
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (_postgresRunning || _rabbitRunning)
        {
            DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(60));
        }
    }

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join(Environment.NewLine, File.ReadLines(path).TakeLast(40)) : $"(no log at {path})";

    /// <summary>scripts/lib/local-servers.sh of the repository the test assembly was built from.</summary>
    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scripts", "lib", "local-servers.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"scripts/lib/local-servers.sh not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>Distinct loopback ports that are free now (the OS hands them out; a race with another process is unlikely).</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ =>
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return listener;
        }).ToList();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}

/// <summary>
/// The service's real Program for the fault tests: <see cref="BindingServiceFactory"/>'s settings, but on servers a
/// fault test chooses (its own stoppable PostgreSQL or RabbitMQ) rather than the shared fixture's. Logs go to the
/// run's log, so the privacy scan reads them too.
/// </summary>
public sealed class FaultServiceFactory(IReadOnlyDictionary<string, string?> settings) : TokenServiceFactory
{
    public static Dictionary<string, string?> Settings(string postgres, Uri rabbitMq, SimulatorHost simulator)
    {
        var settings = ServiceSettings.For(postgres, rabbitMq, simulator);
        settings["Logging:JsonFilePath"] = ServiceFixture.RunLogPath;
        settings["Serilog:MinimumLevel:Default"] = "Debug";
        settings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Information";
        settings["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Warning";
        settings["Serilog:MinimumLevel:Override:System.Net.Http.HttpClient"] = "Information";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
