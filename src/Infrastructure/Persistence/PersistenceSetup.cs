using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace BindingService.Infrastructure.Persistence;

internal static class PersistenceSetup
{
    /// <summary>Statements each physical connection keeps prepared unless the connection string says otherwise.</summary>
    internal const int DefaultMaxAutoPrepare = 64;

    /// <summary>The service's EF settings; <paramref name="protector"/> is carried to the context (see <see cref="PhoneProtectorExtension"/>).</summary>
    public static void Configure(DbContextOptionsBuilder options, string connectionString, PhoneNumberProtector protector)
    {
        options
            .UseNpgsql(WithDefaults(connectionString), npgsql => npgsql
                .MigrationsHistoryTable("__ef_migrations_history")
                .EnableRetryOnFailure(maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(2), errorCodesToAdd: null))
            .UseSnakeCaseNamingConvention()
            .ReplaceService<IModelCacheKeyFactory, ProtectorModelCacheKeyFactory>();
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new PhoneProtectorExtension(protector));
    }

    /// <summary>
    /// Two Npgsql defaults of ours, each unless the connection string sets it itself (docs/configuration.md):
    /// automatic preparation (<c>Max Auto Prepare</c>) — a statement run twice on a connection is prepared there, so
    /// PostgreSQL parses and plans the hot path's statements once per connection instead of on every request — and
    /// <c>No Reset On Close</c> — a connection back in the pool is not reset (<c>RESET ALL</c>, <c>UNLISTEN *</c>,
    /// <c>pg_advisory_unlock_all()</c>, … seven statements the server runs before the next use, and a request opens a
    /// connection three times). The service keeps no state in a pooled session: no <c>SET</c> outside a transaction, no
    /// <c>LISTEN</c>, no temporary table, and its two session-level advisory locks are taken on
    /// <see cref="SessionLockConnection"/>, outside the pool (an open transaction is still rolled back on close;
    /// ConnectionDefaultsTests holds the source to this). Nothing else of the string is changed. (docs/performance.md,
    /// round 4)
    /// </summary>
    internal static string WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0 && !Sets(connectionString, "Auto Prepare", "AutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!Sets(connectionString, "No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// A connection of its own, outside the pool, for a session-level advisory lock: closing it ends the session, so
    /// the lock goes with it even when the explicit unlock fails (a pooled connection is not reset: see
    /// <see cref="WithDefaults"/>).
    /// </summary>
    internal static NpgsqlConnection SessionLockConnection(string? connectionString) =>
        new(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);

    private static bool Sets(string connectionString, params string[] keys) =>
        Array.Exists(keys, key => connectionString.Contains(key, StringComparison.OrdinalIgnoreCase));
}
