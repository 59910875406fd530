using System.Text.RegularExpressions;
using BindingService.Infrastructure.Persistence;
using Npgsql;

namespace BindingService.Infrastructure.Tests.Persistence;

/// <summary>
/// The connection string defaults of <see cref="PersistenceSetup.WithDefaults"/>: automatic preparation and no reset of
/// a pooled connection's session, each unless the deployment's string sets it. The second is only safe while the
/// service keeps no state in a session, which the last test holds the source to.
/// </summary>
public sealed partial class ConnectionDefaultsTests
{
    private const string Plain = "Host=db;Database=bindingservice;Username=app;Password=secret";

    [Fact]
    public void APlainString_GetsAutoPrepareAndNoResetOnClose_AndKeepsTheRest()
    {
        var result = new NpgsqlConnectionStringBuilder(PersistenceSetup.WithDefaults(Plain));

        Assert.Equal(PersistenceSetup.DefaultMaxAutoPrepare, result.MaxAutoPrepare);
        Assert.Equal(2, result.AutoPrepareMinUsages);
        Assert.True(result.NoResetOnClose);
        Assert.Equal(("db", "bindingservice", "app", "secret"), (result.Host, result.Database, result.Username, result.Password));
    }

    [Theory]
    [InlineData("No Reset On Close=false")]
    [InlineData("NoResetOnClose=false")]
    public void AStringThatSetsNoResetOnClose_IsLeftAsItSays(string setting)
    {
        var result = new NpgsqlConnectionStringBuilder(PersistenceSetup.WithDefaults($"{Plain};{setting}"));

        Assert.False(result.NoResetOnClose);
        Assert.Equal(PersistenceSetup.DefaultMaxAutoPrepare, result.MaxAutoPrepare);
    }

    [Fact]
    public void AStringThatSetsAutoPrepare_IsLeftAsItSays()
    {
        var result = new NpgsqlConnectionStringBuilder(PersistenceSetup.WithDefaults($"{Plain};Max Auto Prepare=0"));

        Assert.Equal(0, result.MaxAutoPrepare);
        Assert.True(result.NoResetOnClose);
    }

    [Fact]
    public void NoCodeOfTheService_KeepsStateInAPooledSession()
    {
        // With No Reset On Close a pooled connection keeps its session: a session-level advisory lock, a LISTEN, a
        // temporary table or a SET outside a transaction would outlive the request that made it. Transaction-scoped
        // forms (pg_advisory_xact_lock, SET LOCAL) end with their transaction and are fine; the two session-level locks
        // (a pool's sync, a pool's reconciler run) are taken on PersistenceSetup.SessionLockConnection, outside the pool.
        var root = RepositoryRoot.Find()?.FullName ?? throw new InvalidOperationException("BindingService.sln not found above " + AppContext.BaseDirectory);
        var offences = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}AliyunSimulator{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (path, lines: File.ReadAllLines(path)))
            // A session-level lock is allowed on a connection outside the pool (closing it ends the session).
            .Where(file => !file.lines.Any(line => line.Contains("PersistenceSetup.SessionLockConnection(", StringComparison.Ordinal)))
            .SelectMany(file => file.lines.Select((line, i) => (file.path, line, number: i + 1)))
            .Where(l => SessionState().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(root, l.path)}:{l.number}: {l.line.Trim()}")
            .ToList();

        Assert.True(offences.Count == 0, "session state in a pooled connection (see PersistenceSetup.WithDefaults):\n" + string.Join('\n', offences));
        Assert.Matches(SessionState(), "SELECT pg_advisory_lock(42)"); // the pattern finds what it is meant to find
        Assert.Matches(SessionState(), "LISTEN outbox");
        Assert.Matches(SessionState(), "SET statement_timeout = 0");
        Assert.DoesNotMatch(SessionState(), "UPDATE outbox_messages SET sent_at = @sent_at");
        Assert.DoesNotMatch(SessionState(), "SELECT pg_advisory_xact_lock(42)");
        Assert.DoesNotMatch(SessionState(), "SET LOCAL lock_timeout = '1s'");
    }

    // An UPDATE's "SET column =" is not session state: the SET form is matched by the settings a session would change.
    [GeneratedRegex(
        @"pg_(try_)?advisory_lock(_shared)?\s*\(|(?-i:\bLISTEN\s+\w)|CREATE\s+(TEMP|TEMPORARY)\s+TABLE|set_config\s*\([^)]*false\s*\)"
        + @"|\bSET\s+(SESSION\s+)?(statement_timeout|lock_timeout|idle_in_transaction_session_timeout|search_path|role|application_name|work_mem|time\s+zone|timezone|client_encoding|synchronous_commit|jit|enable_\w+|plan_cache_mode|default_transaction_\w+)\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex SessionState();
}
