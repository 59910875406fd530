using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Numbers;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Persistence.Configurations;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BindingService.Infrastructure.Jobs.Reconciliation;

/// <summary>
/// Invariant 3 for one pool: every provider-side binding we created is known to our database or unbound. Runs under a
/// PostgreSQL advisory lock per pool (one replica at a time; released if the replica dies). When a Pending binding is
/// older than PendingAfter, or the pool's last walk is older than OrphanScanInterval, it walks the pool's X numbers
/// with QuerySubsId and reads the bindings it does not know with QuerySubscriptionDetail; then
/// <list type="bullet">
/// <item>a Pending binding found there (same X when it had one, same parties, same expiry) is adopted: Active + BindingCreated;</item>
/// <item>an old Pending binding not found, when every number could be asked, is marked Failed (BindingFailed);</item>
/// <item>a provider binding nobody owns, older than OrphanAfter, is unbound; so is one still in effect whose binding of ours ended.</item>
/// </list>
/// The provider has no lookup by OutId and its detail does not return OutId, so bindings are matched on X, A, B and
/// expiry. The X numbers walked are the pool's configured numbers (<c>Protection:NumberSelection:Pools:&lt;key&gt;:Numbers</c>
/// / <c>Ranges</c>, in either selection mode), its local inventory, and every X of an Active binding or of one created
/// within NumberLookback: an X outside all of these is not walked, so list the pool's numbers.
/// </summary>
internal sealed partial class PoolAudit(
    IServiceScopeFactory scopes,
    IPrivacyNumberProvider provider,
    PhoneNumberProtector protector,
    IOptionsMonitor<NumberSelectionOptions> numberSelection,
    TimeProvider clock,
    ILogger<PoolAudit> logger)
{
    public async Task<ReconciliationSummary> AuditAsync(string poolKey, ReconcilerOptions settings, ProviderPace pace, CancellationToken stoppingToken)
    {
        var summary = new ReconciliationSummary();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var lifecycle = scope.ServiceProvider.GetRequiredService<BindingLifecycle>();
        await using var lockConnection = PersistenceSetup.SessionLockConnection(db.Database.GetConnectionString());
        await lockConnection.OpenAsync(stoppingToken);
        if (!await TryLockAsync(lockConnection, poolKey, stoppingToken))
        {
            summary.PoolsBusy++;
            return summary;
        }

        try
        {
            await AuditLockedAsync(db, lifecycle, poolKey, settings, pace, summary, stoppingToken);
        }
        finally
        {
            await UnlockAsync(lockConnection, poolKey);
        }

        return summary;
    }

    private async Task AuditLockedAsync(BindingDbContext db, BindingLifecycle lifecycle, string poolKey, ReconcilerOptions settings, ProviderPace pace, ReconciliationSummary summary, CancellationToken stoppingToken)
    {
        var started = clock.GetUtcNow();
        // Ids first, then the rows: a row whose numbers cannot be decrypted is passed by and stamped (Security/UnreadableRows.cs).
        var pendingIds = await db.Database.SqlQuery<Guid>($"""
            SELECT id AS "Value" FROM bindings
            WHERE status = 'Pending' AND pool_key = {poolKey} AND numbers_unreadable_at IS NULL
            ORDER BY created_at
            """).ToListAsync(stoppingToken);
        var pending = await UnreadableRows.ReadAsync(db, pendingIds, "Reconciler", started, logger, stoppingToken);
        var settleBefore = started - settings.PendingAfter;
        var overdue = pending.Where(b => b.CreatedAt <= settleBefore).ToList();
        var lastScan = await db.Set<PoolScan>().AsNoTracking().Where(s => s.PoolKey == poolKey).Select(s => (DateTimeOffset?)s.ScannedAt).FirstOrDefaultAsync(stoppingToken);
        if (overdue.Count == 0 && lastScan is { } last && started - last < settings.OrphanScanInterval)
        {
            return;
        }

        summary.PoolsScanned++;
        var configured = numberSelection.CurrentValue.Pools.TryGetValue(poolKey, out var pool) ? pool.ConfiguredNumbers() : [];
        var known = await NumbersToWalkAsync(db, poolKey, started - settings.NumberLookback, stoppingToken);
        var numbers = known.Union(configured, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknown = new List<SubscriptionDetail>();
        var complete = true;
        foreach (var secretNo in numbers)
        {
            if (stoppingToken.IsCancellationRequested)
            {
                complete = false;
                break;
            }

            complete &= await WalkNumberAsync(db, poolKey, secretNo, settings, pace, unknown, summary, stoppingToken);
        }

        var adopted = new HashSet<BindingId>();
        foreach (var detail in unknown.OrderBy(d => d.CreatedAt))
        {
            var owner = pending.Where(b => !adopted.Contains(b.Id) && Matches(b, detail)).OrderBy(b => b.CreatedAt).FirstOrDefault();
            if (owner is not null)
            {
                adopted.Add(owner.Id);
                if (owner.CreatedAt <= settleBefore && await lifecycle.AdoptAsync(owner.Id, new ProviderBinding(detail.SubsId, detail.SecretNo, detail.Extension), CancellationToken.None))
                {
                    summary.Adopted++;
                    LogAdopted(logger, owner.Id, poolKey, detail.SecretNo, detail.SubsId);
                }

                continue; // a younger one is still being created by its request
            }

            if (detail.CreatedAt is { } created && created <= started - settings.OrphanAfter)
            {
                if (!await OursAsync(db, poolKey, detail, stoppingToken))
                {
                    summary.ForeignLeft++;
                    LogForeign(logger, poolKey, detail.SecretNo, detail.SubsId);
                    continue;
                }

                if (await UnbindAsync(db, poolKey, detail.SubsId, detail.SecretNo, pace, summary, stoppingToken))
                {
                    summary.OrphansUnbound++;
                    LogOrphanUnbound(logger, poolKey, detail.SecretNo, detail.SubsId);
                }
            }
        }

        if (complete)
        {
            foreach (var binding in overdue.Where(b => !adopted.Contains(b.Id)))
            {
                if (await lifecycle.FailNotBoundAsync(binding.Id, CancellationToken.None))
                {
                    summary.Failed++;
                    LogFailed(logger, binding.Id, poolKey);
                }
            }

            await RecordScanAsync(db, poolKey, started);
        }
    }

    /// <summary>QuerySubsId on X; unknown SubsIds are read in detail into <paramref name="unknown"/>. False when a call failed.</summary>
    private async Task<bool> WalkNumberAsync(
        BindingDbContext db, string poolKey, string secretNo, ReconcilerOptions settings, ProviderPace pace,
        List<SubscriptionDetail> unknown, ReconciliationSummary summary, CancellationToken stoppingToken)
    {
        await pace.WaitAsync(stoppingToken);
        var found = await provider.FindSubscriptionIdsAsync(poolKey, secretNo, stoppingToken);
        summary.NumbersScanned++;
        if (found.Error is { Kind: ProviderErrorKind.Forbidden })
        {
            // Not a number of this pool (isv.NO_NOT_EXIST): it carries no binding of the pool.
            LogNotInPool(logger, secretNo, poolKey);
            return true;
        }

        if (found.Error is not null)
        {
            summary.ProviderErrors++;
            return false;
        }

        var ids = found.Value!.ToArray();
        if (ids.Length == 0)
        {
            return true;
        }

        var known = await db.Bindings.AsNoTracking()
            .Where(b => b.SecretNo == secretNo && b.SubsId != null && ids.Contains(b.SubsId))
            .Select(b => new { b.SubsId, b.Status, b.EndedAt })
            .ToDictionaryAsync(b => b.SubsId!, StringComparer.Ordinal, stoppingToken);
        var complete = true;
        var now = clock.GetUtcNow();
        foreach (var subsId in ids)
        {
            if (known.TryGetValue(subsId, out var ours))
            {
                // Ours and ended, yet still in effect there (an unbind that failed, an expiry the provider has not applied).
                if (!ours.Status.IsOpen() && ours.EndedAt is { } ended && ended <= now - settings.OrphanAfter
                    && await UnbindAsync(db, poolKey, subsId, secretNo, pace, summary, stoppingToken))
                {
                    summary.StaleUnbound++;
                    LogStaleUnbound(logger, poolKey, secretNo, subsId, ours.Status);
                }

                continue;
            }

            await pace.WaitAsync(stoppingToken);
            var detail = await provider.QuerySubscriptionDetailAsync(new SubscriptionRef(poolKey, subsId, secretNo), stoppingToken);
            if (detail.Error is { } error)
            {
                if (error.Kind != ProviderErrorKind.SubscriptionNotFound)
                {
                    summary.ProviderErrors++;
                    complete = false;
                }

                continue;
            }

            if (detail.Value!.InEffect)
            {
                unknown.Add(detail.Value);
            }
        }

        return complete;
    }

    /// <summary>Same X (when ours had one reserved), same parties (where the provider shows them), same expiry to the second.</summary>
    /// <summary>
    /// Whether a provider binding nobody of ours owns was made by us: a binding of ours in the pool has its parties (a
    /// bind whose answer we lost or took for a failure). The provider keeps no mark of ours it would show here (the
    /// detail has no OutId), so a binding whose parties we never bound in this pool is another system's, in a pool we
    /// share, and is left alone.
    /// </summary>
    private async Task<bool> OursAsync(BindingDbContext db, string poolKey, SubscriptionDetail detail, CancellationToken cancellationToken)
    {
        if (detail.PartyA is not { } partyA)
        {
            return false;
        }

        // Under every hash version in use: a row not yet re-hashed after a rotation still counts.
        var a = protector.HashesForLookup(partyA).ToList();
        var b = detail.PartyB is { } partyB ? protector.HashesForLookup(partyB).ToList() : null;
        return await db.Bindings.AsNoTracking().AnyAsync(
            x => x.PoolKey == poolKey
                && a.Contains(EF.Property<byte[]>(x, BindingConfiguration.PartyAHash))
                && (b == null || b.Contains(EF.Property<byte[]>(x, BindingConfiguration.PartyBHash))),
            cancellationToken);
    }

    internal static bool Matches(Binding binding, SubscriptionDetail detail)
    {
        if (binding.SecretNo is { } x && !string.Equals(x, detail.SecretNo, StringComparison.Ordinal))
        {
            return false;
        }

        if (detail.PartyA is { } a && a != binding.PartyA)
        {
            return false;
        }

        if (detail.PartyB is { } b ? b != binding.PartyB : false)
        {
            return false;
        }

        return detail.ExpiresAt is not { } expires || Math.Abs((expires - binding.ExpiresAt).TotalSeconds) < 1;
    }

    /// <summary>Unbinds at the provider, unless a binding of ours took the SubsId meanwhile. Not found counts as done.</summary>
    private async Task<bool> UnbindAsync(BindingDbContext db, string poolKey, string subsId, string secretNo, ProviderPace pace, ReconciliationSummary summary, CancellationToken stoppingToken)
    {
        var owned = await db.Bindings.AsNoTracking().AnyAsync(b => b.SecretNo == secretNo && b.SubsId == subsId && (b.Status == BindingStatus.Active || b.Status == BindingStatus.Pending), stoppingToken);
        if (owned)
        {
            return false;
        }

        await pace.WaitAsync(stoppingToken);
        var result = await provider.UnbindSubscriptionAsync(new SubscriptionRef(poolKey, subsId, secretNo), CancellationToken.None);
        if (result.Error is { } error && error.Kind != ProviderErrorKind.SubscriptionNotFound)
        {
            summary.ProviderErrors++;
            return false;
        }

        return true;
    }

    private static async Task<List<string>> NumbersToWalkAsync(BindingDbContext db, string poolKey, DateTimeOffset since, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<string>($"""
            SELECT secret_no AS "Value" FROM bindings
            WHERE pool_key = {poolKey} AND secret_no IS NOT NULL AND (status = 'Active' OR created_at >= {since})
            UNION
            SELECT secret_no AS "Value" FROM pool_numbers WHERE pool_key = {poolKey}
            """).OrderBy(x => x).ToListAsync(cancellationToken);

    private async Task RecordScanAsync(BindingDbContext db, string poolKey, DateTimeOffset scannedAt) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO reconciler_pool_scans (pool_key, scanned_at) VALUES ({poolKey}, {scannedAt})
            ON CONFLICT (pool_key) DO UPDATE SET scanned_at = EXCLUDED.scanned_at
            """, CancellationToken.None);

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, string poolKey, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext('bindingservice.reconciler'), hashtext($1))", connection);
        command.Parameters.AddWithValue(poolKey);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task UnlockAsync(NpgsqlConnection connection, string poolKey)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext('bindingservice.reconciler'), hashtext($1))", connection);
        command.Parameters.AddWithValue(poolKey);
        await command.ExecuteScalarAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciler: {SecretNo} is not a number of pool {PoolKey} at the provider; remove it from the pool's configured numbers")]
    private static partial void LogNotInPool(ILogger logger, string secretNo, string poolKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciler adopted Pending binding {BindingId} in pool {PoolKey}: the provider has it on {SecretNo} as {SubsId}")]
    private static partial void LogAdopted(ILogger logger, BindingId bindingId, string poolKey, string secretNo, string subsId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciler marked Pending binding {BindingId} in pool {PoolKey} Failed: the provider does not have it")]
    private static partial void LogFailed(ILogger logger, BindingId bindingId, string poolKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciler unbound orphan provider binding {SubsId} on {SecretNo} in pool {PoolKey}: no binding of ours owns it")]
    private static partial void LogOrphanUnbound(ILogger logger, string poolKey, string secretNo, string subsId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciler left provider binding {SubsId} on {SecretNo} in pool {PoolKey} alone: not ours (no binding of ours has its parties), another system's in a shared pool")]
    private static partial void LogForeign(ILogger logger, string poolKey, string secretNo, string subsId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciler unbound provider binding {SubsId} on {SecretNo} in pool {PoolKey}: still in effect although ours is {Status}")]
    private static partial void LogStaleUnbound(ILogger logger, string poolKey, string secretNo, string subsId, BindingStatus status);
}
