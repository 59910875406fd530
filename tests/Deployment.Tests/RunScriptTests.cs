using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using BindingService.Deployment.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace BindingService.Deployment.Tests;

/// <summary>
/// scripts/run.sh for real: on ports and a data directory of its own (so it never meets the servers
/// on 55432/55672/5080/5180), it starts PostgreSQL, RabbitMQ, the Aliyun simulator and the API; the
/// API serves a protection; then a Ctrl-C (SIGINT to the script's process group, as a terminal sends
/// it) must stop every process it started and free every port. Slow (one to two minutes): it starts
/// real servers, one after the other, on a small machine.
/// </summary>
public sealed class RunScriptTests(ITestOutputHelper output)
{
    private const string MarkerVariable = "BINDINGSERVICE_RUN_SH_TEST";
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopLimit = TimeSpan.FromMinutes(2.5);

    [Fact]
    public async Task Run_script_serves_a_protection_and_Ctrl_C_stops_everything_it_started()
    {
        var marker = Guid.NewGuid().ToString("N");
        var shortName = $"bsruntest{marker[..8]}";
        var node = shortName + "@localhost";
        var dataDirectory = Directory.CreateTempSubdirectory("bindingservice-run-sh-").FullName;
        var log = Path.Combine(dataDirectory, "run.sh.out");
        var ports = ProcessTable.FreePorts(5);
        var (pgPort, rabbitPort, distPort, apiPort, simulatorPort) = (ports[0], ports[1], ports[2], ports[3], ports[4]);
        var clock = Stopwatch.StartNew();

        var startInfo = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
            // setsid: the script leads a process group of its own, as in a terminal, so Ctrl-C can be sent to that group.
            ArgumentList = { "-c", "exec setsid bash \"$0\" --quiet >\"$1\" 2>&1 </dev/null", Repository.PathOf("scripts", "run.sh"), log },
        };
        var environment = startInfo.Environment;
        foreach (var name in environment.Keys.Where(IsServiceSetting).ToList())
        {
            environment.Remove(name); // run.sh must start its own servers and simulator, not reuse configured ones
        }

        environment["BINDINGSERVICE_LOCAL_DIR"] = dataDirectory;
        environment["BINDINGSERVICE_PG_PORT"] = Invariant(pgPort);
        environment["BINDINGSERVICE_RABBITMQ_PORT"] = Invariant(rabbitPort);
        environment["BINDINGSERVICE_RABBITMQ_DIST_PORT"] = Invariant(distPort);
        environment["BINDINGSERVICE_RABBITMQ_NODE"] = node;
        environment["BINDINGSERVICE_API_PORT"] = Invariant(apiPort);
        environment["BINDINGSERVICE_SIMULATOR_PORT"] = Invariant(simulatorPort);
        environment[MarkerVariable] = marker; // inherited by everything the script starts
        // The machine may be busy (other test runs, builds): give the servers and the API more than the default 120 s.
        environment["BINDINGSERVICE_SERVER_START_TIMEOUT"] = "240";
        environment["BINDINGSERVICE_API_START_TIMEOUT"] = "240";
        // The script's build must not leave build servers behind (they would outlive it by design).
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["UseSharedCompilation"] = "false";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

        using var script = Process.Start(startInfo) ?? throw new XunitException("bash could not be started");
        Log($"run.sh started (pid {script.Id}); ports: PostgreSQL {pgPort}, RabbitMQ {rabbitPort}/{distPort}, API {apiPort}, simulator {simulatorPort}; data {dataDirectory}");
        try
        {
            // bash execs setsid, which makes it a session and group leader and execs the script: wait for that.
            var leader = Stopwatch.StartNew();
            while (ProcessTable.Read(script.Id) is { } self && (self.ProcessGroup != script.Id || !self.Command.Contains("run.sh", StringComparison.Ordinal)))
            {
                Assert.True(leader.Elapsed < TimeSpan.FromSeconds(30), $"run.sh did not become a process group leader: {self}");
                await Task.Delay(TimeSpan.FromMilliseconds(50)); // pacing: polls the process table
            }

            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
            var api = new Uri($"http://127.0.0.1:{apiPort}");

            // 1. Start-up: poll until the API is ready and the script says so (it then only waits for
            // Ctrl-C), the script gives up, or the limit passes.
            while (!await ReadyAsync(http, api) || !File.ReadAllText(log).Contains("BindingService is running: " + api.ToString().TrimEnd('/'), StringComparison.Ordinal))
            {
                if (script.HasExited)
                {
                    throw new XunitException($"run.sh exited with {script.ExitCode} before the API was ready:\n{Tail(log)}");
                }

                if (clock.Elapsed > StartLimit)
                {
                    throw new XunitException($"the API was not ready within {StartLimit.TotalMinutes} minutes:\n{Tail(log)}");
                }

                await Task.Delay(TimeSpan.FromSeconds(1)); // pacing: polls readiness
            }

            Log($"ready after {clock.Elapsed.TotalSeconds:F0} s");

            // 2. What it started: all of it must be found (or the check after the Ctrl-C proves nothing).
            var started = ProcessTable.WithEnvironment(MarkerVariable, marker);
            Log("processes with the marker:\n  " + string.Join("\n  ", started));
            var postmasterPid = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postgres", "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            Assert.Contains(started, p => p.Pid == postmasterPid);
            Assert.Contains(started, p => p.Parent == postmasterPid); // its server processes
            Assert.Contains(started, p => p.Command.Contains("beam.smp", StringComparison.Ordinal) && p.Command.Contains(dataDirectory, StringComparison.Ordinal));
            Assert.Contains(started, p => p.Command.Contains("BindingService.AliyunSimulator.dll", StringComparison.Ordinal) && p.Command.Contains($":{simulatorPort}", StringComparison.Ordinal));
            Assert.Contains(started, p => p.Command.Contains("BindingService.Api.dll", StringComparison.Ordinal) && p.Command.Contains($":{apiPort}", StringComparison.Ordinal));
            Assert.Contains($"name {shortName} at port {distPort}", await EpmdNamesAsync(), StringComparison.Ordinal);
            foreach (var port in ports)
            {
                Assert.True(ProcessTable.PortOpen(port), $"nothing listens on {port} although the stack is up");
            }

            // 3. The API works end to end (PostgreSQL, simulator, RabbitMQ outbox behind it).
            // With the token it prints (the README's curls): without a token the same call is 401.
            var orderId = $"ride-run-sh-{marker[..8]}";
            var token = File.ReadLines(log).Select(l => l.Trim()).First(l => l.StartsWith("export TOKEN=", StringComparison.Ordinal))["export TOKEN=".Length..];
            Assert.Equal(3, token.Split('.').Length); // a JWT
            using (var body = new StringContent("""{"passengerPhone":"13800138000","driverPhone":"13900139000"}""", Encoding.UTF8, "application/json"))
            using (var response = await http.PutAsync(new Uri(api, $"/v1/ride-orders/{orderId}/protection"), body))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }

            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using (var body = new StringContent("""{"passengerPhone":"13800138000","driverPhone":"13900139000"}""", Encoding.UTF8, "application/json"))
            using (var response = await http.PutAsync(new Uri(api, $"/v1/ride-orders/{orderId}/protection"), body))
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"PUT protection: {(int)response.StatusCode} {text}");
                Assert.Contains($"\"orderId\":\"{orderId}\"", text, StringComparison.Ordinal);
                Assert.DoesNotContain("13800138000", text, StringComparison.Ordinal); // masked
            }

            // 4. Ctrl-C.
            var stopping = Stopwatch.StartNew();
            await SignalGroupAsync("INT", script.Id);
            using (var cts = new CancellationTokenSource(StopLimit))
            {
                try
                {
                    await script.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new XunitException($"run.sh did not exit within {StopLimit.TotalSeconds} s of SIGINT:\n{Tail(log)}");
                }
            }

            Log($"run.sh exited with {script.ExitCode} {stopping.Elapsed.TotalSeconds:F1} s after SIGINT");
            Assert.True(script.ExitCode == 130, $"run.sh exited with {script.ExitCode}, not 130 (SIGINT):\n{Tail(log)}");

            // Everything it started is gone, soon after it (a process may take a moment to be reaped).
            var leftovers = await PollAsync(() => ProcessTable.WithEnvironment(MarkerVariable, marker), TimeSpan.FromSeconds(30));
            Assert.True(leftovers.Count == 0, "still running after run.sh stopped:\n  " + string.Join("\n  ", leftovers) + "\n" + Tail(log));
            Assert.Empty(ProcessTable.InGroup(script.Id));
            var openPorts = await PollAsync(() => ports.Where(ProcessTable.PortOpen).ToList(), TimeSpan.FromSeconds(10));
            Assert.True(openPorts.Count == 0, "ports still open: " + string.Join(", ", openPorts));
            Assert.DoesNotContain($"name {shortName} ", await EpmdNamesAsync(), StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dataDirectory, "postgres", "data", "postmaster.pid")), "PostgreSQL did not shut down cleanly (postmaster.pid is left)");
            Log($"all stopped {stopping.Elapsed.TotalSeconds:F1} s after SIGINT; whole test {clock.Elapsed.TotalSeconds:F0} s");
            Assert.Contains("[run.sh] stopped", File.ReadAllText(log), StringComparison.Ordinal);
        }
        finally
        {
            await CleanUpAsync(script, marker);
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log($"could not delete {dataDirectory}: {e.Message}");
            }
        }
    }

    private static bool IsServiceSetting(string name) =>
        name.StartsWith("ConnectionStrings__", StringComparison.Ordinal) ||
        name.StartsWith("RabbitMq__", StringComparison.Ordinal) ||
        name.StartsWith("Aliyun__", StringComparison.Ordinal) ||
        (name.StartsWith("BINDINGSERVICE_", StringComparison.Ordinal) && !name.StartsWith("BINDINGSERVICE_TEST_", StringComparison.Ordinal));

    private static async Task<bool> ReadyAsync(HttpClient http, Uri api)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(api, "/health/ready"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Polls until the list is empty or the time is up; returns the last list.</summary>
    private static async Task<IReadOnlyList<T>> PollAsync<T>(Func<IReadOnlyList<T>> probe, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = probe();
            if (found.Count == 0 || clock.Elapsed > limit)
            {
                return found;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500)); // pacing: polls until the processes are gone
        }
    }

    /// <summary>What epmd (the Erlang port mapper, shared by every node on the machine) lists.</summary>
    private static async Task<string> EpmdNamesAsync()
    {
        var result = await ProcessRunner.RunAsync(
            "epmd", ["-names"], TimeSpan.FromSeconds(15), environment: new Dictionary<string, string> { ["ERL_EPMD_ADDRESS"] = "127.0.0.1" });
        Assert.True(result is not null, "epmd is not installed although RabbitMQ ran");
        return result.StandardOutput + result.StandardError;
    }

    private static async Task SignalGroupAsync(string signal, int processGroup)
    {
        var result = await ProcessRunner.RunAsync("kill", [$"-{signal}", "--", $"-{processGroup}"], TimeSpan.FromSeconds(10));
        Assert.True(result is { ExitCode: 0 }, $"kill -{signal} -{processGroup}: {result?.Describe()}");
    }

    /// <summary>After a failure: Ctrl-C the script if it still runs, then kill what is left of what it started.</summary>
    private async Task CleanUpAsync(Process script, string marker)
    {
        if (!script.HasExited)
        {
            Log("clean-up: run.sh still runs; sending SIGINT");
            await SignalAsync("INT", script.Id);
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await script.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                await SignalAsync("KILL", script.Id);
            }
        }

        foreach (var leftover in ProcessTable.WithEnvironment(MarkerVariable, marker))
        {
            Log($"clean-up: killing {leftover}");
            await ProcessRunner.RunAsync("kill", ["-KILL", Invariant(leftover.Pid)], TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Signals the script's process group, or the script alone if it does not lead one (yet).</summary>
    private static async Task SignalAsync(string signal, int pid)
    {
        var group = await ProcessRunner.RunAsync("kill", [$"-{signal}", "--", $"-{pid}"], TimeSpan.FromSeconds(10));
        if (group is not { ExitCode: 0 })
        {
            await ProcessRunner.RunAsync("kill", [$"-{signal}", Invariant(pid)], TimeSpan.FromSeconds(10));
        }
    }

    private static string Tail(string path, int lines = 60)
    {
        try
        {
            var all = File.ReadAllLines(path);
            return $"--- last {lines} lines of {path} ---\n" + string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"({path}: {e.Message})";
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private void Log(string message) => output.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
