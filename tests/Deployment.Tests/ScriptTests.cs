using BindingService.Deployment.Tests.Support;

namespace BindingService.Deployment.Tests;

/// <summary>The two commands (scripts/run.sh, scripts/test.sh), their library, and CI's entry point.</summary>
public sealed class ScriptTests
{
    [Fact]
    public void Ci_runs_the_test_script()
    {
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
    public void Test_script_uses_given_servers_then_docker_then_local_servers()
    {
        var script = Repository.Read("scripts", "test.sh");
        var lib = Repository.Read("scripts", "lib", "local-servers.sh");

        Assert.Contains("BINDINGSERVICE_TEST_POSTGRES", script, StringComparison.Ordinal);
        Assert.Contains("BINDINGSERVICE_TEST_RABBITMQ", script, StringComparison.Ordinal);
        Assert.Contains("docker info", script, StringComparison.Ordinal);
        Assert.Contains("build BindingService.sln -c Release", script, StringComparison.Ordinal);
        Assert.Contains("--no-build", script, StringComparison.Ordinal);
        Assert.Contains("trx;LogFileName=", script, StringComparison.Ordinal);
        Assert.Contains("echo \"$passed passed, $failed failed, $skipped skipped\"", script, StringComparison.Ordinal);

        Assert.Contains("Host=127.0.0.1;Port=$BS_PG_PORT;Username=$BS_PG_USER;Password=$BS_PG_PASSWORD", lib, StringComparison.Ordinal);
        Assert.Contains("BINDINGSERVICE_PG_PORT:-55432", lib, StringComparison.Ordinal);
        Assert.Contains("BINDINGSERVICE_RABBITMQ_PORT:-55672", lib, StringComparison.Ordinal);
        Assert.Contains("RABBITMQ_DIST_PORT=", lib, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_script_migrates_explicitly_and_waits_for_readiness()
    {
        var script = Repository.Read("scripts", "run.sh");

        Assert.Contains("dotnet \"$API_DLL\" migrate", script, StringComparison.Ordinal);
        Assert.Contains("/health/ready", script, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:$API_PORT", script, StringComparison.Ordinal);
        Assert.Contains("BINDINGSERVICE_API_PORT:-5080", script, StringComparison.Ordinal);
        Assert.Contains("BINDINGSERVICE_SIMULATOR_PORT:-5180", script, StringComparison.Ordinal);
        Assert.Contains("/openapi/v1.json", script, StringComparison.Ordinal);
        Assert.Contains("/scalar/v1", script, StringComparison.Ordinal);
        Assert.Contains("trap cleanup EXIT", script, StringComparison.Ordinal);
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
