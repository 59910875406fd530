using BindingService.Deployment.Tests.Support;

namespace BindingService.Deployment.Tests;

/// <summary>
/// The two commands (scripts/run.sh, scripts/test.sh), their library, and CI's entry point. test.sh
/// runs here for real in a scratch copy of the repository whose `dotnet` is a stub (the real one
/// would build and test everything again, this test included); run.sh runs for real in RunScriptTests.
/// </summary>
public sealed class ScriptTests
{
    [Fact]
    public void Ci_runs_the_test_script()
    {
        // A text check: running .ci/run would run the whole suite, this test included. What it runs,
        // scripts/test.sh, is run (with a stub dotnet) below.
        var ci = Repository.Read(".ci", "run");

        Assert.StartsWith("#!/usr/bin/env bash", ci, StringComparison.Ordinal);
        Assert.Contains("set -euo pipefail", ci, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^exec bash scripts/test\.sh\b", ci);
    }

    public static TheoryData<string> Scripts => new()
    {
        ".ci/run",
        "scripts/test.sh",
        "scripts/run.sh",
        "scripts/lib/local-servers.sh",
        "scripts/lib/trx.sh",
        "tests/Deployment.Tests/tools/ensure-helm.sh",
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_is_valid_bash(string script)
    {
        Assert.True(File.Exists(Repository.PathOf(script.Split('/'))), $"{script} is missing");

        var result = await ProcessRunner.RunAsync("bash", ["-n", script], TimeSpan.FromSeconds(30));

        Assert.NotNull(result);
        Assert.True(result.ExitCode == 0, $"bash -n {script}: " + result.Describe());
    }

    [Fact]
    public async Task Server_library_defaults_to_the_documented_ports_and_follows_the_overrides()
    {
        const string print = "source \"$1\" && printf '%s\\n' \"$BS_PG_PORT\" \"$BS_RABBIT_PORT\" \"$BS_RABBIT_DIST_PORT\" \"$BS_RABBIT_NODE\" \"$BS_LOCAL_DIR\" \"$BS_PG_ADMIN_CONNECTION\" \"$BS_RABBIT_URI\"";
        var library = Repository.PathOf("scripts", "lib", "local-servers.sh");

        var defaults = await ProcessRunner.RunAsync("bash", ["-c", "unset ${!BINDINGSERVICE_@}; " + print, "bash", library], TimeSpan.FromSeconds(30));
        Assert.NotNull(defaults);
        Assert.True(defaults.ExitCode == 0, defaults.Describe());
        Assert.Equal(
            new[]
            {
                "55432", "55672", "55673", "bindingservice@localhost", Repository.PathOf(".local"),
                "Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres", "amqp://guest:guest@127.0.0.1:55672/",
            },
            defaults.StandardOutput.TrimEnd('\n').Split('\n'));

        var overridden = await ProcessRunner.RunAsync(
            "bash",
            ["-c", print, "bash", library],
            TimeSpan.FromSeconds(30),
            environment: new Dictionary<string, string>
            {
                ["BINDINGSERVICE_PG_PORT"] = "61001",
                ["BINDINGSERVICE_RABBITMQ_PORT"] = "61002",
                ["BINDINGSERVICE_RABBITMQ_DIST_PORT"] = "61003",
                ["BINDINGSERVICE_RABBITMQ_NODE"] = "other@localhost",
                ["BINDINGSERVICE_LOCAL_DIR"] = "/tmp/elsewhere",
            });
        Assert.NotNull(overridden);
        Assert.True(overridden.ExitCode == 0, overridden.Describe());
        Assert.Equal(
            new[]
            {
                "61001", "61002", "61003", "other@localhost", "/tmp/elsewhere",
                "Host=127.0.0.1;Port=61001;Username=postgres;Password=postgres", "amqp://guest:guest@127.0.0.1:61002/",
            },
            overridden.StandardOutput.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Server_library_keeps_finding_servers_it_moved_out_of_a_private_directory()
    {
        // Started once where the service users could not enter (servers-location.txt names where the data went);
        // every later call — stop above all — must use that place even when the users could enter by now.
        var local = Directory.CreateTempSubdirectory("bindingservice-local-").FullName;
        var moved = Directory.CreateTempSubdirectory("bindingservice-moved-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(local, "servers-location.txt"), moved + "\n");
            const string print = "source \"$1\" && bs_dirs && printf '%s\\n' \"$BS_SERVER_DIR\" \"$BS_PG_DATA\" \"$BS_RABBIT_DIR\"";
            var run = await ProcessRunner.RunAsync(
                "bash",
                ["-c", print, "bash", Repository.PathOf("scripts", "lib", "local-servers.sh")],
                TimeSpan.FromSeconds(30),
                environment: new Dictionary<string, string> { ["BINDINGSERVICE_LOCAL_DIR"] = local });

            Assert.NotNull(run);
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Equal(new[] { moved, $"{moved}/postgres/data", $"{moved}/rabbitmq" }, run.StandardOutput.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            Directory.Delete(local, recursive: true);
            Directory.Delete(moved, recursive: true);
        }
    }

    [Fact]
    public async Task Ensure_helm_installs_into_an_empty_cache_once_then_only_reports()
    {
        var cache = Directory.CreateTempSubdirectory("bindingservice-tools-").FullName;
        try
        {
            var environment = new Dictionary<string, string> { ["BINDINGSERVICE_TOOLS_DIR"] = cache };
            var script = Repository.PathOf("tests", "Deployment.Tests", "tools", "ensure-helm.sh");

            var first = await ProcessRunner.RunAsync("bash", [script], TimeSpan.FromMinutes(15), environment: environment);
            Assert.NotNull(first);
            Assert.True(first.ExitCode == 0, first.Describe());
            var expected = $"helm={cache}/kubectl-layer-2.2.2/helm/helm\nkubectl={cache}/kubectl-layer-2.2.2/kubectl/kubectl\n";
            Assert.Equal(expected, first.StandardOutput);
            Assert.Contains("installed helm v4.1.4", first.StandardError, StringComparison.Ordinal);
            Assert.Equal(["kubectl-layer-2.2.2"], Directory.EnumerateDirectories(cache).Select(Path.GetFileName)); // no work directory left

            var helm = await ProcessRunner.RunAsync($"{cache}/kubectl-layer-2.2.2/helm/helm", ["version", "--short"], TimeSpan.FromSeconds(30));
            Assert.NotNull(helm);
            Assert.StartsWith("v4.1.4", helm.StandardOutput, StringComparison.Ordinal);

            var second = await ProcessRunner.RunAsync("bash", [script], TimeSpan.FromSeconds(30), environment: environment);
            Assert.NotNull(second);
            Assert.True(second.ExitCode == 0, second.Describe());
            Assert.Equal(expected, second.StandardOutput);
            Assert.Equal(string.Empty, second.StandardError); // nothing installed again
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task Run_script_explains_itself_and_refuses_unknown_arguments()
    {
        var help = await ProcessRunner.RunAsync("bash", [Repository.PathOf("scripts", "run.sh"), "--help"], TimeSpan.FromSeconds(30));
        Assert.NotNull(help);
        Assert.True(help.ExitCode == 0, help.Describe());
        foreach (var option in new[] { "--no-servers", "--no-simulator", "--no-build", "--quiet", "BINDINGSERVICE_API_PORT", "BINDINGSERVICE_SIMULATOR_PORT" })
        {
            Assert.Contains(option, help.StandardOutput, StringComparison.Ordinal);
        }

        var unknown = await ProcessRunner.RunAsync("bash", [Repository.PathOf("scripts", "run.sh"), "--fast"], TimeSpan.FromSeconds(30));
        Assert.NotNull(unknown);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown argument '--fast'", unknown.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_script_builds_once_runs_every_project_and_ends_with_the_totals()
    {
        using var sandbox = new TestScriptSandbox();
        var run = await sandbox.RunAsync(new() { ["Alpha.Tests"] = "4 0 1 0", ["Beta.Tests"] = "2 0 0 0" });

        Assert.True(run.Result.ExitCode == 0, run.Result.Describe());
        Assert.Equal("6 passed, 0 failed, 1 skipped", run.LastLine);
        Assert.Contains("[test.sh] using the servers given in BINDINGSERVICE_TEST_POSTGRES / BINDINGSERVICE_TEST_RABBITMQ", run.Result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(
            new[]
            {
                "tool restore",
                "build BindingService.sln -c Release -nologo",
                "test tests/Alpha.Tests/Alpha.Tests.csproj postgres=given",
                "test tests/Beta.Tests/Beta.Tests.csproj postgres=given",
            },
            run.Calls);
        Assert.All(run.TestArguments, arguments => Assert.Contains("--no-build", arguments, StringComparison.Ordinal));
        Assert.Matches(@"(?m)^Alpha\.Tests\s+4\s+0\s+1\s+\d+s\s+ok$", run.Result.StandardOutput);
    }

    [Theory]
    [InlineData("3 1 0 1", "Beta.Tests", "FAILED", "5 passed, 1 failed, 0 skipped")]
    [InlineData("crash", "Beta.Tests", "CRASHED (exit 1, no results file)", "2 passed, 0 failed, 0 skipped")]
    [InlineData("0 0 0 0", "Beta.Tests", "no tests", null)]
    public async Task Test_script_fails_when_a_project_fails_or_crashes(string beta, string project, string status, string? lastLine)
    {
        using var sandbox = new TestScriptSandbox();
        var run = await sandbox.RunAsync(new() { ["Alpha.Tests"] = "2 0 0 0", ["Beta.Tests"] = beta });

        if (lastLine is null)
        {
            // A project without tests is reported, but the run counts since others ran.
            Assert.True(run.Result.ExitCode == 0, run.Result.Describe());
            Assert.Equal("2 passed, 0 failed, 0 skipped", run.LastLine);
        }
        else
        {
            Assert.True(run.Result.ExitCode != 0, "test.sh succeeded: " + run.Result.Describe());
            Assert.Equal(lastLine, run.LastLine);
        }

        Assert.Matches($@"(?m)^{project.Replace(".", "\\.", StringComparison.Ordinal)}\s.*\s{System.Text.RegularExpressions.Regex.Escape(status)}$", run.Result.StandardOutput);
    }

    [Fact]
    public async Task Test_script_fails_when_nothing_ran()
    {
        using var sandbox = new TestScriptSandbox();
        var run = await sandbox.RunAsync(new() { ["Alpha.Tests"] = "0 0 0 0", ["Beta.Tests"] = "0 0 0 0" });

        Assert.True(run.Result.ExitCode != 0, "test.sh succeeded although no test ran: " + run.Result.Describe());
        Assert.Contains("[test.sh] no test ran", run.Result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("0 passed, 0 failed, 0 skipped", run.LastLine);
    }

    [Fact]
    public async Task Test_script_stops_before_testing_when_the_build_fails()
    {
        using var sandbox = new TestScriptSandbox();
        var run = await sandbox.RunAsync(new() { ["Alpha.Tests"] = "2 0 0 0" }, buildExitCode: 1);

        Assert.True(run.Result.ExitCode != 0, "test.sh succeeded: " + run.Result.Describe());
        Assert.Contains("[test.sh] BUILD FAILED (no tests were run)", run.Result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("0 passed, 0 failed, 0 skipped", run.LastLine);
        Assert.DoesNotContain(run.Calls, call => call.StartsWith("test ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_script_leaves_the_servers_to_Testcontainers_when_a_Docker_engine_answers()
    {
        using var sandbox = new TestScriptSandbox();
        var run = await sandbox.RunAsync(new() { ["Alpha.Tests"] = "1 0 0 0" }, givenServers: false, dockerAnswers: true);

        Assert.True(run.Result.ExitCode == 0, run.Result.Describe());
        Assert.Contains("[test.sh] a Docker engine answers: the integration tests start their own containers (Testcontainers)", run.Result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("test tests/Alpha.Tests/Alpha.Tests.csproj postgres=unset", run.Calls);
    }

    [Theory]
    [InlineData(
        """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <ResultSummary outcome="Failed">
            <Counters total="7" executed="6" passed="4" failed="1" error="1" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="1" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
          </ResultSummary>
        </TestRun>
        """,
        "7 4 2 1 Failed")]
    [InlineData(
        "\uFEFF<TestRun><ResultSummary\r\n outcome='Completed'><Counters passed='12'\r\n   total='13' executed='12' /></ResultSummary></TestRun>",
        "13 12 0 1 Completed")]
    [InlineData(
        // What VSTest writes for xunit: one passed, one failed, one [Fact(Skip = ...)].
        "<TestRun><ResultSummary outcome=\"Failed\"><Counters total=\"3\" executed=\"2\" passed=\"1\" failed=\"1\" error=\"0\" timeout=\"0\" aborted=\"0\" inconclusive=\"0\" passedButRunAborted=\"0\" notRunnable=\"0\" notExecuted=\"0\" disconnected=\"0\" warning=\"0\" completed=\"0\" inProgress=\"0\" pending=\"0\" /></ResultSummary></TestRun>",
        "3 1 1 1 Failed")]
    [InlineData(
        "<TestRun><ResultSummary outcome=\"Completed\"><Counters total=\"0\" executed=\"0\" passed=\"0\" failed=\"0\" /></ResultSummary></TestRun>",
        "0 0 0 0 Completed")]
    public async Task Trx_counters_are_read_whatever_the_layout(string trx, string expected)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bindingservice-{Guid.NewGuid():N}.trx");
        await File.WriteAllTextAsync(file, trx);
        try
        {
            var result = await ProcessRunner.RunAsync(
                "bash",
                ["-c", "source \"$1\" && bs_trx_counts \"$2\"", "bash", Repository.PathOf("scripts", "lib", "trx.sh"), file],
                TimeSpan.FromSeconds(30));

            Assert.NotNull(result);
            Assert.True(result.ExitCode == 0, result.Describe());
            Assert.Equal(expected, result.StandardOutput.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Trx_without_counters_is_reported_as_missing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bindingservice-{Guid.NewGuid():N}.trx");
        await File.WriteAllTextAsync(file, "<TestRun />");
        try
        {
            var result = await ProcessRunner.RunAsync(
                "bash",
                ["-c", "source \"$1\" && bs_trx_counts \"$2\"", "bash", Repository.PathOf("scripts", "lib", "trx.sh"), file],
                TimeSpan.FromSeconds(30));

            Assert.NotNull(result);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Equal(string.Empty, result.StandardOutput.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
