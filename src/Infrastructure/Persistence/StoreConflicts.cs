using BindingService.Application.Abstractions;
using BindingService.Infrastructure.Numbers;
using BindingService.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BindingService.Infrastructure.Persistence;

/// <summary>Which integrity rule a PostgreSQL error broke (SQLSTATE class 23), by the constraint it names.</summary>
internal static class StoreConflicts
{
    /// <summary>The rule <paramref name="exception"/> reports, or null when it is no integrity violation (an outage, a bug).</summary>
    public static StoreRule? RuleOf(Exception exception)
    {
        var postgres = exception as PostgresException ?? (exception as DbUpdateException)?.InnerException as PostgresException;
        if (postgres is null || !postgres.SqlState.StartsWith("23", StringComparison.Ordinal))
        {
            return null;
        }

        return postgres.ConstraintName switch
        {
            BindingConfiguration.OpenTrackingNumberIndex => StoreRule.TrackingNumberOfOpenBinding,
            NumberReservationConfiguration.PartyOnXIndex => StoreRule.PartyOnVirtualNumber,
            _ => StoreRule.Other,
        };
    }
}
