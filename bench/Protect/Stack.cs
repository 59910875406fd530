using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace BindingService.Bench.Protect;

/// <summary>
/// What the benchmark runs against: a private PostgreSQL and RabbitMQ (scripts/lib/local-servers.sh), the Aliyun
/// simulator and the API as separate Release processes, each with its console output in a file under the bench's
/// local directory. Only what was started here is stopped again.
/// </summary>
internal sealed class Stack : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private bool _startedServers;

    public Stack(string repoRoot)
    {
        RepoRoot = repoRoot;
        LocalDir = Env("BINDINGSERVICE_LOCAL_DIR", Path.Combine(repoRoot, ".local", "bench"));
        PgPort = int.Parse(Env("BINDINGSERVICE_PG_PORT", "55442"), CultureInfo.InvariantCulture);
        RabbitPort = int.Parse(Env("BINDINGSERVICE_RABBITMQ_PORT", "55682"), CultureInfo.InvariantCulture);
        RabbitDistPort = Env("BINDINGSERVICE_RABBITMQ_DIST_PORT", "55683");
        RabbitNode = Env("BINDINGSERVICE_RABBITMQ_NODE", "bs-bench@localhost");
        LogDir = Path.Combine(LocalDir, "bench-logs");
        Directory.CreateDirectory(LogDir);
    }

    public string RepoRoot { get; }
    public string LocalDir { get; }
    public string LogDir { get; }
    public int PgPort { get; }
    public int RabbitPort { get; }
    public string RabbitDistPort { get; }
    public string RabbitNode { get; }
    public string AdminConnection => $"Host=127.0.0.1;Port={PgPort};Username=postgres;Password=postgres;Timeout=30;Command Timeout=0";
    /// <summary>The API's build output, or BINDINGSERVICE_BENCH_API_DIR (e.g. a ReadyToRun publish of it).</summary>
    public string ApiDir => Env("BINDINGSERVICE_BENCH_API_DIR", Path.Combine(RepoRoot, "src", "Api", "bin", "Release", "net10.0"));
    public string ApiDll => Path.Combine(ApiDir, "BindingService.Api.dll");
    public string SimDir => Path.Combine(RepoRoot, "src", "AliyunSimulator", "bin", "Release", "net10.0");
    public string SimDll => Path.Combine(SimDir, "BindingService.AliyunSimulator.dll");

    /// <summary>The postmaster's process id (first line of postmaster.pid), or null when the server was not ours.</summary>
    public int? PostmasterPid
    {
        get
        {
            var file = Path.Combine(ServerDir, "postgres", "data", "postmaster.pid");
            return File.Exists(file) && int.TryParse(File.ReadLines(file).First(), out var pid) ? pid : null;
        }
    }

    /// <summary>
    /// Where the servers keep their data: <see cref="LocalDir"/>, or the directory named in its servers-location.txt when
    /// the postgres and rabbitmq users cannot enter it (scripts/lib/local-servers.sh then uses one under /var/tmp).
    /// </summary>
    private string ServerDir
    {
        get
        {
            var moved = Path.Combine(LocalDir, "servers-location.txt");
            return File.Exists(moved) && File.ReadLines(moved).FirstOrDefault()?.Trim() is { Length: > 0 } dir ? dir : LocalDir;
        }
    }

    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;

    private Dictionary<string, string> ServerEnvironment() => new()
    {
        ["BS_REPO_ROOT"] = RepoRoot,
        ["BINDINGSERVICE_LOCAL_DIR"] = LocalDir,
        ["BINDINGSERVICE_PG_PORT"] = PgPort.ToString(CultureInfo.InvariantCulture),
        ["BINDINGSERVICE_RABBITMQ_PORT"] = RabbitPort.ToString(CultureInfo.InvariantCulture),
        ["BINDINGSERVICE_RABBITMQ_DIST_PORT"] = RabbitDistPort,
        ["BINDINGSERVICE_RABBITMQ_NODE"] = RabbitNode,
    };

    public async Task StartServersAsync()
    {
        _startedServers = !PortOpen(PgPort) || !PortOpen(RabbitPort);
        var output = "";
        var code = await RunAsync("bash", [Path.Combine(RepoRoot, "scripts", "lib", "local-servers.sh"), "start"], ServerEnvironment(), RepoRoot, TimeSpan.FromMinutes(5), o => output = o);
        if (code != 0)
        {
            throw new InvalidOperationException($"scripts/lib/local-servers.sh start failed (exit {code}): {output}");
        }
    }

    public async Task EnsureBuiltAsync()
    {
        foreach (var (dll, project) in new[] { (ApiDll, "src/Api/BindingService.Api.csproj"), (SimDll, "src/AliyunSimulator/BindingService.AliyunSimulator.csproj") })
        {
            if (!File.Exists(dll))
            {
                Console.WriteLine($"building {project} (Release)");
                if (await RunAsync("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "quiet"], new Dictionary<string, string>(), RepoRoot, TimeSpan.FromMinutes(20)) != 0)
                {
                    throw new InvalidOperationException($"{project} did not build");
                }
            }
        }
    }

    /// <summary>
    /// A memory cgroup limited to <paramref name="megabytes"/> MiB for the API (cgroup v2, else the v1 memory controller;
    /// needs root), as the pod's <c>resources.limits.memory</c>: the runtime sizes its GC heap and budgets from that
    /// limit. Returns the cgroup's <c>cgroup.procs</c> file.
    /// </summary>
    public static string CreateMemoryCgroup(string name, int megabytes)
    {
        var bytes = ((long)megabytes * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
        var (directory, limitFile) = File.Exists("/sys/fs/cgroup/cgroup.controllers")
            ? (Path.Combine("/sys/fs/cgroup", name), "memory.max")
            : (Path.Combine("/sys/fs/cgroup/memory", name), "memory.limit_in_bytes");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, limitFile), bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"--api-memory-limit: could not set up the memory cgroup {directory} ({ex.Message}); it needs root and a writable cgroup file system", ex);
        }

        return Path.Combine(directory, "cgroup.procs");
    }

    /// <summary>Starts `dotnet DLL args` with the environment, its output in LogDir/NAME.log; returns the process.</summary>
    public Process StartDotnet(string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, out string logPath, string? cgroupProcs = null)
    {
        logPath = Path.Combine(LogDir, $"{name}.log");
        File.Delete(logPath);
        // sh only redirects the output and then becomes the process (exec): the pid is the process's own.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add("-c");
        // With a memory cgroup, sh moves itself into it first, so the runtime starts under that limit (as in a pod).
        start.ArgumentList.Add("out=$1; procs=$2; shift 2; if [ -n \"$procs\" ]; then echo $$ > \"$procs\" || exit 97; fi; exec dotnet \"$@\" >\"$out\" 2>&1 </dev/null");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(logPath);
        start.ArgumentList.Add(cgroupProcs ?? "");
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_URLS" })
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        _processes.Add(process);
        return process;
    }

    /// <summary>Runs a command to its end (stdout captured when <paramref name="output"/> is given).</summary>
    public static async Task<int> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string directory, TimeSpan timeout, Action<string>? output = null)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, WorkingDirectory = directory, RedirectStandardOutput = output is not null };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {file}");
        var read = output is null ? Task.CompletedTask : Task.Run(async () => output(await process.StandardOutput.ReadToEndAsync()));
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        await read;
        return process.ExitCode;
    }

    public static bool PortOpen(int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(1)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        if (_startedServers && Environment.GetEnvironmentVariable("BINDINGSERVICE_BENCH_KEEP_SERVERS") != "1")
        {
            await RunAsync("bash", [Path.Combine(RepoRoot, "scripts", "lib", "local-servers.sh"), "stop"], ServerEnvironment(), RepoRoot, TimeSpan.FromMinutes(2));
        }
    }
}
