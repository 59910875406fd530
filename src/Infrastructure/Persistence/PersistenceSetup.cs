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
    /// Npgsql's automatic preparation, unless the connection string sets <c>Max Auto Prepare</c> itself: a statement
    /// run twice on a connection is prepared there, so PostgreSQL parses and plans the hot path's statements once per
    /// connection instead of on every request (docs/performance.md). Nothing else of the string is changed.
    /// </summary>
    internal static string WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0 && !connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}
