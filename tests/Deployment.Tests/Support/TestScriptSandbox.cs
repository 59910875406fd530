using Xunit.Sdk;

namespace BindingService.Deployment.Tests.Support;

/// <summary>What one run of scripts/test.sh in a sandbox did.</summary>
/// <param name="Calls">The stub dotnet's calls: "tool restore", "build …", "test PROJECT postgres=given|unset".</param>
/// <param name="TestArguments">The full argument list of each `dotnet test`.</param>
internal sealed record TestScriptRun(ProcessResult Result, string LastLine, IReadOnlyList<string> Calls, IReadOnlyList<string> TestArguments);

/// <summary>
/// A scratch repository holding the real scripts/test.sh and scripts/lib/*.sh, two empty test
/// projects, and stubs on PATH for dotnet (each `dotnet test` writes a .trx with the counts it is
/// told), docker and docker-compose. test.sh runs there as it is: its choices, its table, its exit
/// code and its closing line are what the tests read.
/// </summary>
internal sealed class TestScriptSandbox : IDisposable
{
    private const string DotnetStub = """
        #!/usr/bin/env bash
        # A stand-in for dotnet: records the call; `test` writes a .trx from STUB_<project> = "passed failed skipped exit" or "crash".
        case "$1" in
            test)
                name=$(basename "$2" .csproj)
                printf 'test %s postgres=%s\n' "$2" "${BINDINGSERVICE_TEST_POSTGRES:-unset}" >>"$STUB_LOG"
                printf '%s\n' "$*" >>"$STUB_LOG.test-args"
                args=("$@") results="" trx=""
                for ((i = 0; i < ${#args[@]}; i++)); do
                    case "${args[i]}" in
                        --results-directory) results=${args[i + 1]} ;;
                        --logger) trx=${args[i + 1]#trx;LogFileName=} ;;
                    esac
                done
                spec_name="STUB_${name//./_}"
                spec=${!spec_name:-"1 0 0 0"}
                if [ "$spec" = crash ]; then
                    echo "The test host crashed." >&2
                    exit 1
                fi
                read -r passed failed skipped rc <<<"$spec"
                outcome=Completed
                if [ "$failed" -gt 0 ]; then outcome=Failed; fi
                printf '<?xml version="1.0" encoding="utf-8"?>\n<TestRun><ResultSummary outcome="%s"><Counters total="%s" executed="%s" passed="%s" failed="%s" error="0" timeout="0" aborted="0" notExecuted="0" /></ResultSummary></TestRun>\n' \
                    "$outcome" $((passed + failed + skipped)) $((passed + failed)) "$passed" "$failed" >"$results/$trx"
                exit "$rc"
                ;;
            build)
                printf '%s\n' "$*" >>"$STUB_LOG"
                exit "${STUB_BUILD_RC:-0}"
                ;;
            *)
                printf '%s\n' "$*" >>"$STUB_LOG"
                ;;
        esac
        """;

    private readonly string root;

    public TestScriptSandbox()
    {
        root = Directory.CreateTempSubdirectory("bindingservice-test-sh-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "scripts", "lib"));
        File.Copy(Repository.PathOf("scripts", "test.sh"), Path.Combine(root, "scripts", "test.sh"));
        foreach (var library in Directory.EnumerateFiles(Repository.PathOf("scripts", "lib"), "*.sh"))
        {
            File.Copy(library, Path.Combine(root, "scripts", "lib", Path.GetFileName(library)));
        }

        var bin = Path.Combine(root, "stub-bin");
        Directory.CreateDirectory(bin);
        WriteExecutable(Path.Combine(bin, "dotnet"), DotnetStub);
        WriteExecutable(Path.Combine(bin, "docker-compose"), "#!/usr/bin/env bash\nexit 0\n");
        WriteExecutable(Path.Combine(bin, "docker"), "#!/usr/bin/env bash\n[ \"$1\" = info ] && [ \"${STUB_DOCKER_ANSWERS:-0}\" = 1 ]\n");
    }

    public async Task<TestScriptRun> RunAsync(
        Dictionary<string, string> projects, int buildExitCode = 0, bool givenServers = true, bool dockerAnswers = false)
    {
        if (!givenServers && !dockerAnswers)
        {
            throw new ArgumentException("without given servers or Docker, test.sh would start real local servers");
        }

        foreach (var name in projects.Keys)
        {
            Directory.CreateDirectory(Path.Combine(root, "tests", name));
            await File.WriteAllTextAsync(Path.Combine(root, "tests", name, name + ".csproj"), "<Project />\n");
        }

        var log = Path.Combine(root, "stub.log");
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Path.Combine(root, "stub-bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["STUB_LOG"] = log,
            ["STUB_BUILD_RC"] = buildExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["STUB_DOCKER_ANSWERS"] = dockerAnswers ? "1" : "0",
            ["CI"] = string.Empty,
            ["BINDINGSERVICE_USE_LOCAL_SERVERS"] = string.Empty,
            ["BINDINGSERVICE_TEST_PROJECT_TIMEOUT"] = "120",
            ["BINDINGSERVICE_TEST_HANG_TIMEOUT"] = "10m",
            ["BINDINGSERVICE_TEST_POSTGRES"] = givenServers ? "given" : string.Empty,
            ["BINDINGSERVICE_TEST_RABBITMQ"] = givenServers ? "given" : string.Empty,
        };
        foreach (var (name, spec) in projects)
        {
            environment["STUB_" + name.Replace('.', '_')] = spec;
        }

        var result = await ProcessRunner.RunAsync("bash", [Path.Combine(root, "scripts", "test.sh")], TimeSpan.FromMinutes(2), root, environment)
            ?? throw new XunitException("bash could not be started");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new TestScriptRun(
            result,
            lines.Length > 0 ? lines[^1] : string.Empty,
            File.Exists(log) ? await File.ReadAllLinesAsync(log) : [],
            File.Exists(log + ".test-args") ? await File.ReadAllLinesAsync(log + ".test-args") : []);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the scripts run on Linux");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
