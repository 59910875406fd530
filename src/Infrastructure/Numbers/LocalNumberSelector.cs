using System.Diagnostics;
using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace BindingService.Infrastructure.Numbers;

/// <summary>
/// Chooses X ourselves for AXB bindings of pools in local mode (docs/decisions/0003-local-number-selection.md; invariant 1 in docs/operations.md); other pools and
/// products answer null and the provider chooses. Order: the party's last X (sticky pools), the binding's
/// ExpectCity, the pool's fallback cities in rank order (not in strict pools when a city was asked for), then any
/// city; least loaded first; only available numbers under MaxPairsPerNumber; never an X on which A or B is reserved.
/// Each candidate is reserved in one transaction; losing a race (the count check or the unique index) moves on to
/// the next candidate.
/// </summary>
public sealed partial class LocalNumberSelector(
    BindingDbContext db,
    PhoneNumberProtector protector,
    IOptionsMonitor<NumberSelectionOptions> options,
    NumberMetrics metrics,
    TimeProvider clock,
    ILogger<LocalNumberSelector> logger) : INumberSelector
{
    private const int CandidatesPerQuery = 5;
    private const int RoundsPerTier = 3;

    public async Task<Result<string?>> ReserveAsync(Binding binding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var pool = options.CurrentValue.Local(binding.PoolKey);
        if (pool is null || binding.Product != BindingProduct.Axb || binding.PartyB is null)
        {
            return (string?)null;
        }

        var started = Stopwatch.GetTimestamp();
        var a = protector.Hash(binding.PartyA);
        var b = protector.Hash(binding.PartyB);
        byte[][] parties = [.. protector.HashesForLookup(binding.PartyA), .. protector.HashesForLookup(binding.PartyB)];
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);

        string? chosen = null;
        foreach (var (sql, city) in Tiers(binding.ExpectCity, pool))
        {
            chosen = await TryTierAsync(connection, sql, city, binding, pool, (a, b, parties), cancellationToken);
            if (chosen is not null)
            {
                break;
            }
        }

        metrics.Selected(binding.PoolKey, Stopwatch.GetElapsedTime(started), chosen is not null);
        if (chosen is null)
        {
            metrics.Exhausted(binding.PoolKey, binding.ExpectCity);
            LogExhausted(logger, binding.PoolKey, binding.ExpectCity ?? "(any)", binding.Id);
            var where = binding.ExpectCity is null ? "in any city" : pool.Strict ? $"in city {binding.ExpectCity} (strict pool)" : $"in city {binding.ExpectCity} or its fallbacks";
            return Error.Unavailable(
                "pool.exhausted",
                $"No virtual number of pool {binding.PoolKey} is free for these parties {where}.",
                TimeSpan.FromSeconds(30));
        }

        LogReserved(logger, chosen, binding.PoolKey, binding.Id);
        return chosen;
    }

    /// <summary>The queries to try in order, with the city each one asks for.</summary>
    private static IEnumerable<(string Sql, string? City)> Tiers(string? expectCity, PoolSelectionOptions pool)
    {
        if (pool.Sticky)
        {
            yield return (NumberSelectionSql.PickSticky, expectCity);
        }

        if (expectCity is not null)
        {
            yield return (NumberSelectionSql.PickInCity, expectCity);
            if (pool.Strict)
            {
                yield break;
            }
        }

        foreach (var city in pool.FallbackCities.Where(c => !string.Equals(c, expectCity, StringComparison.Ordinal)))
        {
            yield return (NumberSelectionSql.PickInCity, city);
        }

        yield return (NumberSelectionSql.PickAny, null);
    }

    private async Task<string?> TryTierAsync(
        NpgsqlConnection connection, string sql, string? city, Binding binding, PoolSelectionOptions pool, (byte[] A, byte[] B, byte[][] All) hashes, CancellationToken cancellationToken)
    {
        var (a, b, parties) = hashes;
        var strictCity = pool.Strict && sql == NumberSelectionSql.PickSticky ? city : null;
        for (var round = 0; round < RoundsPerTier; round++)
        {
            var candidates = await CandidatesAsync(connection, sql, city, binding.PoolKey, pool.MaxPairsPerNumber, hashes, cancellationToken);
            if (candidates.Count == 0)
            {
                return null;
            }

            foreach (var (secretNo, numberCity) in candidates)
            {
                if (strictCity is not null && !string.Equals(numberCity, strictCity, StringComparison.Ordinal))
                {
                    continue; // sticky never leaves the asked city of a strict pool
                }

                if (await TryReserveAsync(connection, binding, secretNo, pool.MaxPairsPerNumber, a, b, cancellationToken))
                {
                    return secretNo;
                }
            }

            if (strictCity is not null || sql == NumberSelectionSql.PickSticky)
            {
                return null;
            }
        }

        return null;
    }

    private static async Task<List<(string SecretNo, string City)>> CandidatesAsync(
        NpgsqlConnection connection, string sql, string? city, string poolKey, int maxPairs, (byte[] A, byte[] B, byte[][] All) hashes, CancellationToken cancellationToken)
    {
        var (a, b, parties) = hashes;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("pool", poolKey);
        command.Parameters.AddWithValue("max", maxPairs);
        command.Parameters.Add(new NpgsqlParameter("a", NpgsqlDbType.Bytea) { Value = a });
        command.Parameters.Add(new NpgsqlParameter("b", NpgsqlDbType.Bytea) { Value = b });
        command.Parameters.Add(new NpgsqlParameter("parties", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = parties });
        command.Parameters.AddWithValue("limit", CandidatesPerQuery);
        if (sql == NumberSelectionSql.PickInCity)
        {
            command.Parameters.AddWithValue("city", city!);
        }

        var found = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetString(0), reader.GetString(1)));
        }

        return found;
    }

    private async Task<bool> TryReserveAsync(
        NpgsqlConnection connection, Binding binding, string secretNo, int maxPairs, byte[] a, byte[] b, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(NumberSelectionSql.Reserve)
                {
                    Parameters =
                    {
                        new NpgsqlParameter("pool", binding.PoolKey),
                        new NpgsqlParameter("x", secretNo),
                        new NpgsqlParameter("max", maxPairs),
                        new NpgsqlParameter("binding", binding.Id.Value),
                        new NpgsqlParameter("a", NpgsqlDbType.Bytea) { Value = a },
                        new NpgsqlParameter("b", NpgsqlDbType.Bytea) { Value = b },
                        new NpgsqlParameter("now", now),
                    },
                },
                new NpgsqlBatchCommand(NumberSelectionSql.RememberLast)
                {
                    Parameters = { new NpgsqlParameter("binding", binding.Id.Value) },
                },
            },
        };

        try
        {
            // A batch without an explicit transaction runs as one implicit transaction: all or nothing.
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return batch.BatchCommands[0].RecordsAffected == 2;
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: NumberReservationConfiguration.PartyOnXIndex })
        {
            // Invariant 1 held by the database: a party took X concurrently. Try the next candidate.
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reserved {SecretNo} in pool {PoolKey} for binding {BindingId}")]
    private static partial void LogReserved(ILogger logger, string secretNo, string poolKey, BindingId bindingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {PoolKey} has no free number for city {City}: binding {BindingId} refused")]
    private static partial void LogExhausted(ILogger logger, string poolKey, string city, BindingId bindingId);
}
