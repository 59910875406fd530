using System.Collections.Concurrent;
using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BindingService.Infrastructure.Numbers;

/// <summary>
/// The inventory of pools in local mode (<see cref="INumberPoolInventory"/>): numbers registered by operators or
/// configured, and their state as the provider reports it (QuerySecretNoDetail). Synchronising never touches the pair
/// counts (the reservations own them).
/// </summary>
public sealed partial class NumberInventory(
    BindingDbContext db,
    IPrivacyNumberProvider provider,
    IOptionsMonitor<NumberSelectionOptions> options,
    TimeProvider clock,
    ILogger<NumberInventory> logger) : INumberPoolInventory
{
    private const int MaxNumbersPerRequest = INumberPoolInventory.MaxNumbersPerRequest;
    private const int ProviderParallelism = 8;

    /// <inheritdoc />
    public async Task<Result<IReadOnlyList<PoolNumberView>>> RegisterAsync(string poolKey, IReadOnlyList<string>? numbers, CancellationToken cancellationToken)
    {
        if (LocalPool(poolKey) is { } notLocal)
        {
            return notLocal;
        }

        if (numbers is null || numbers.Count is 0 or > MaxNumbersPerRequest || numbers.Any(n => !NumberSelectionOptionsValidator.IsSecretNo(n)))
        {
            return Error.Validation(new Dictionary<string, string[]>
            {
                ["numbers"] = [$"1 to {MaxNumbersPerRequest} virtual numbers, digits only (5 to 20)."],
            });
        }

        var distinct = numbers.Distinct(StringComparer.Ordinal).ToList();
        await SyncNumbersAsync(poolKey, distinct, cancellationToken);
        var registered = await db.Set<PoolNumber>().AsNoTracking()
            .Where(n => n.PoolKey == poolKey && distinct.Contains(n.SecretNo))
            .OrderBy(n => n.SecretNo)
            .ToListAsync(cancellationToken);
        return registered.Select(n => new PoolNumberView(n.SecretNo, n.City, n.State.ToString(), n.ActivePairs, n.SyncedAt)).ToList();
    }

    /// <summary>Asks the provider about every configured and every known number of the pool and records what it says.</summary>
    public async Task<Result<PoolSyncReport>> SyncAsync(string poolKey, bool waitForOtherReplica, CancellationToken cancellationToken)
    {
        if (LocalPool(poolKey) is { } notLocal)
        {
            return notLocal;
        }

        // One replica at a time per pool (invariant 7); the job skips a pool another replica is syncing, an operator waits.
        await using var lockConnection = PersistenceSetup.SessionLockConnection(db.Database.GetConnectionString());
        await lockConnection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand(waitForOtherReplica ? "SELECT pg_advisory_lock(hashtext(@key)::bigint), true" : "SELECT pg_try_advisory_lock(hashtext(@key)::bigint)", lockConnection))
        {
            take.Parameters.AddWithValue("key", "pool_numbers_sync:" + poolKey);
            var taken = await take.ExecuteScalarAsync(cancellationToken);
            if (waitForOtherReplica is false && taken is false)
            {
                return Error.Unavailable("pool.sync_running", $"Pool {poolKey} is being synchronised by another instance.", TimeSpan.FromSeconds(10));
            }
        }

        try
        {
            var known = await db.Database
                .SqlQuery<string>($"SELECT secret_no AS \"Value\" FROM pool_numbers WHERE pool_key = {poolKey}")
                .ToListAsync(cancellationToken);
            var all = options.CurrentValue.Pools[poolKey].ConfiguredNumbers().Concat(known).Distinct(StringComparer.Ordinal).ToList();
            var report = await SyncNumbersAsync(poolKey, all, cancellationToken);
            LogSynced(logger, poolKey, report.Numbers, report.Available, report.Locked + report.Frozen + report.Unhealthy, report.Skipped);
            return report;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext(@key)::bigint)", lockConnection);
            release.Parameters.AddWithValue("key", "pool_numbers_sync:" + poolKey);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    /// <inheritdoc />
    /// <summary>A page of the pool's numbers in number order, after <paramref name="after"/> (keyset paging).</summary>
    public async Task<Result<PoolNumberPage>> ListAsync(string poolKey, string? after, int? limit, CancellationToken cancellationToken)
    {
        if (LocalPool(poolKey) is { } notLocal)
        {
            return notLocal;
        }

        if (limit is < 1 or > PoolNumberPage.MaxLimit)
        {
            return Error.Validation(new Dictionary<string, string[]> { ["limit"] = [$"Must be 1 to {PoolNumberPage.MaxLimit}."] });
        }

        var take = limit ?? PoolNumberPage.DefaultLimit;
        var rows = await db.Set<PoolNumber>().AsNoTracking()
            .Where(n => n.PoolKey == poolKey && (after == null || string.Compare(n.SecretNo, after) > 0))
            .OrderBy(n => n.SecretNo)
            .Take(take + 1)
            .ToListAsync(cancellationToken);
        var page = rows.Take(take).Select(n => new PoolNumberView(n.SecretNo, n.City, n.State.ToString(), n.ActivePairs, n.SyncedAt)).ToList();
        return new PoolNumberPage(page, rows.Count > take ? page[^1].SecretNo : null);
    }

    private Error? LocalPool(string poolKey) =>
        options.CurrentValue.Local(poolKey) is null
            ? Error.NotFound("pool.not_local", $"Pool {poolKey} is not configured for local number selection (Protection:NumberSelection:Pools).")
            : null;

    private async Task<PoolSyncReport> SyncNumbersAsync(string poolKey, IReadOnlyList<string> numbers, CancellationToken cancellationToken)
    {
        var answers = new ConcurrentBag<(string SecretNo, string City, PoolNumberState? State)>();
        await Parallel.ForEachAsync(
            numbers,
            new ParallelOptions { MaxDegreeOfParallelism = ProviderParallelism, CancellationToken = cancellationToken },
            async (secretNo, ct) =>
            {
                var result = await provider.QuerySecretNumberAsync(poolKey, secretNo, ct);
                answers.Add(result.Error switch
                {
                    null => (secretNo, result.Value!.City ?? string.Empty, StateOf(result.Value.Status)),
                    { Kind: ProviderErrorKind.Forbidden or ProviderErrorKind.InvalidRequest } => (secretNo, string.Empty, PoolNumberState.Unhealthy),
                    _ => (secretNo, string.Empty, null), // could not ask: keep what we know
                });
            });

        var now = clock.GetUtcNow();
        var known = answers.Where(a => a.State is not null).ToList();
        var unknown = answers.Where(a => a.State is null).ToList();
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        foreach (var chunk in known.Chunk(1000))
        {
            await using var upsert = new NpgsqlCommand(
                """
                INSERT INTO pool_numbers (pool_key, secret_no, city, state, active_pairs, synced_at, updated_at)
                SELECT @pool, u.x, u.city, u.state, 0, @now, @now FROM unnest(@xs, @cities, @states) AS u(x, city, state)
                ON CONFLICT (pool_key, secret_no) DO UPDATE
                SET city = EXCLUDED.city, state = EXCLUDED.state, synced_at = EXCLUDED.synced_at, updated_at = EXCLUDED.updated_at
                """,
                connection);
            upsert.Parameters.AddWithValue("pool", poolKey);
            upsert.Parameters.AddWithValue("now", now);
            upsert.Parameters.AddWithValue("xs", chunk.Select(a => a.SecretNo).ToArray());
            upsert.Parameters.AddWithValue("cities", chunk.Select(a => a.City).ToArray());
            upsert.Parameters.AddWithValue("states", chunk.Select(a => a.State!.Value.ToString()).ToArray());
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (unknown.Count > 0)
        {
            // A number we could not ask about is recorded unhealthy when new, and left as it is when known.
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO pool_numbers (pool_key, secret_no, city, state, active_pairs, updated_at)
                SELECT @pool, x, '', 'Unhealthy', 0, @now FROM unnest(@xs) AS x
                ON CONFLICT (pool_key, secret_no) DO NOTHING
                """,
                connection);
            insert.Parameters.AddWithValue("pool", poolKey);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("xs", unknown.Select(a => a.SecretNo).ToArray());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return new PoolSyncReport(
            poolKey,
            answers.Count,
            known.Count(a => a.State == PoolNumberState.Available),
            known.Count(a => a.State == PoolNumberState.Locked),
            known.Count(a => a.State == PoolNumberState.Frozen),
            known.Count(a => a.State == PoolNumberState.Unhealthy),
            unknown.Count);
    }

    private static PoolNumberState StateOf(SecretNumberStatus status) => status switch
    {
        SecretNumberStatus.Unbound or SecretNumberStatus.Bound => PoolNumberState.Available,
        SecretNumberStatus.Locked => PoolNumberState.Locked,
        SecretNumberStatus.Frozen => PoolNumberState.Frozen,
        _ => PoolNumberState.Unhealthy,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Synchronised pool {PoolKey}: {Numbers} numbers, {Available} available, {NotSelectable} not selectable, {Skipped} not reachable")]
    private static partial void LogSynced(ILogger logger, string poolKey, int numbers, int available, int notSelectable, int skipped);
}
