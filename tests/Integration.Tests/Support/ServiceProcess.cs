using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// The built service (<c>BindingService.Api.dll</c>, copied next to the test assembly) as a real child process on a
/// free loopback port, configured through environment variables (<c>Section__Key</c>). Unlike the in-process
/// <see cref="BindingServiceFactory"/> it can be stopped with SIGTERM (graceful shutdown) or SIGKILL (a crash).
/// Its JSON log goes to its own file and its console output to another; both are kept for diagnostics and
/// scanned for phone numbers by <see cref="CountPhoneNumbersInLogsAsync"/>.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri baseAddress, string logPath, string outputPath)
    {
        _process = process;
        BaseAddress = baseAddress;
        LogPath = logPath;
        OutputPath = outputPath;
        Client = TestTokens.Authorize(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) });
    }

    public Uri BaseAddress { get; }

    /// <summary>An HttpClient on the service, 60 s timeout (the tests give shorter timeouts where they need them).</summary>
    public HttpClient Client { get; }

    public int Id => _process.Id;

    /// <summary>The service's JSON log file (Logging:JsonFilePath).</summary>
    public string LogPath { get; }

    /// <summary>stdout and stderr of the process.</summary>
    public string OutputPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the service with <paramref name="settings"/> (configuration keys, <c>Section:Key</c>) and waits, at most
    /// <paramref name="readyTimeout"/> (default 90 s), until <c>GET /health/ready</c> answers 200.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string name, IReadOnlyDictionary<string, string?> settings, TimeSpan? readyTimeout = null)
    {
        var directory = AppContext.BaseDirectory;
        var dll = Path.Combine(directory, "BindingService.Api.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("The API assembly is not next to the test assembly (the test project references the Api project).", dll);
        }

        var stamp = $"{name}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var logPath = Path.Combine(Path.GetTempPath(), $"bindingservice-proc-{stamp}.log");
        var outputPath = Path.Combine(Path.GetTempPath(), $"bindingservice-proc-{stamp}.out");
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");

        // sh only redirects the output to a file and then becomes the service (exec): the process id is the service's,
        // so SIGTERM and SIGKILL reach it directly, and no pipe can fill up and block it.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = directory, // the content root: the API's appsettings.json is copied here
        };
        foreach (var argument in new[] { "-c", "exec \"$0\" \"$1\" --urls \"$2\" >\"$3\" 2>&1", DotnetHost(), dll, $"http://127.0.0.1:{port}", outputPath })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" })
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["DOTNET_gcServer"] = "0"; // 2 shared cores: keep the child's GC small
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1"; // as the image and the chart run it (docs/performance.md, round 4)
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? string.Empty;
        }

        start.Environment["Logging__JsonFilePath"] = logPath;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service process.");
        var service = new ServiceProcess(process, baseAddress, logPath, outputPath);
        try
        {
            await service.WaitUntilReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(90));
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: the process (and anything it started) dies at once, mid-request and mid-transaction.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            // The process itself first: Kill(entireProcessTree) walks /proc for children before it signals anyone,
            // which takes long enough on a busy machine for in-flight requests to finish first.
            try
            {
                _process.Kill();
                _process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone (the second Kill can meet the process the first one just ended): nothing left to signal.
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Sends SIGTERM (what Kubernetes sends) and waits at most <paramref name="timeout"/> for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        SendSigterm();
        return await WaitForExitAsync(timeout);
    }

    /// <summary>Sends SIGTERM and returns at once.</summary>
    public void SendSigterm()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit(5000);
        if (!kill.HasExited || kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed (exit {(kill.HasExited ? kill.ExitCode : -1)}).");
        }
    }

    /// <summary>Waits for the process to exit by itself; fails with the tail of its output if it does not in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The service process did not exit within {timeout.TotalSeconds:F0} s. Output tail:\n{await OutputTailAsync()}");
        }

        return _process.ExitCode;
    }

    /// <summary>The last lines of the process output, for failure messages (the service logs numbers only masked).</summary>
    public async Task<string> OutputTailAsync(int lines = 40)
    {
        var text = await ReadSharedAsync(OutputPath);
        return string.Join('\n', text.Split('\n').TakeLast(lines));
    }

    /// <summary>
    /// How many phone numbers appear in clear in the process's log file and output: every number <see cref="TestPhones"/>
    /// handed out in this run, and anything shaped like one of them (<c>159</c> and 8 digits), which catches numbers
    /// a test made up without TestPhones. Returns a count only, so a failure message never shows a number.
    /// Reads the finished log: a process still running is stopped first (SIGTERM), so whatever it was still doing has
    /// logged, and its exit closed the sinks (each event is written through as it is logged: the file sink is shared).
    /// </summary>
    public async Task<int> CountPhoneNumbersInLogsAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync(TimeSpan.FromSeconds(60));
        }

        // UUIDs (binding ids, event ids) are taken out first: their last group is 12 hex digits, all of them decimal in
        // about one id in 300, and "…-315912345678" ends in "159" and 8 more digits (seen in CI), which is no phone number.
        var text = Uuid().Replace(await ReadSharedAsync(LogPath) + "\n" + await ReadSharedAsync(OutputPath), "<uuid>");
        // Whole runs of digits only (a number may carry a country code: +86…), never digits between letters: trace and
        // span ids are hex, and one can hold "159" and 8 more digits (8e15920769341e6f…), which is no phone number.
        var runs = DigitRun().Matches(text).Select(m => m.Value).Where(r => r.Length >= 11).Select(r => r[^11..]).ToList();
        var present = runs.ToHashSet(StringComparer.Ordinal);
        return TestPhones.All.Count(present.Contains) + runs.Count(n => n.StartsWith("159", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service process exited with {_process.ExitCode} before it was ready. Output tail:\n{await OutputTailAsync()}");
            }

            try
            {
                using var response = await probe.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.GetType().Name;
            }

            await Task.Delay(250); // pacing: polls readiness
        }

        throw new TimeoutException($"The service process was not ready within {timeout.TotalSeconds:F0} s (last: {last}). Output tail:\n{await OutputTailAsync()}");
    }

    /// <summary>The dotnet host running the tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    [GeneratedRegex(@"(?<![0-9A-Za-z])\d+(?![0-9A-Za-z])")]
    private static partial Regex DigitRun();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Uuid();
}

/// <summary>
/// What <see cref="ServiceProcess"/> tests run against: the shared PostgreSQL (a fresh database of their own, migrated
/// by the first process), RabbitMQ with an <see cref="EventListener"/>, and the simulator in-process. No in-process
/// service instance runs on this database, so the processes a test starts are the only ones touching it.
/// </summary>
public sealed class ServiceProcessEnvironment : IAsyncLifetime
{
    private TestServers? _servers;
    private TestDatabase? _database;

    public TestServers Servers => _servers ?? throw new InvalidOperationException("Not started.");

    public SimulatorHost Simulator { get; private set; } = null!;

    public EventListener Events { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _servers = await TestServers.StartAsync();
        _database = await TestDatabase.CreateAsync(Servers.PostgresAdminConnectionString, "bs_proc");
        ConnectionString = _database.ConnectionString;
        Simulator = await SimulatorHost.StartAsync();
        Events = await EventListener.StartAsync(Servers.RabbitMqUri, ConnectionString);
    }

    /// <summary>The settings of <see cref="ServiceFixture.Settings"/> for this environment, plus <paramref name="overrides"/>.</summary>
    public IReadOnlyDictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = ServiceSettings.For(ConnectionString, Servers.RabbitMqUri, Simulator);
        settings["Serilog:MinimumLevel:Default"] = "Information";
        settings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Warning";
        settings["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Warning";
        settings["Serilog:MinimumLevel:Override:System.Net.Http.HttpClient"] = "Warning";
        return settings.With(overrides);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Rows of a query returning text columns, each row as an array.</summary>
    public async Task<IReadOnlyList<string?[]>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task DisposeAsync()
    {
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
