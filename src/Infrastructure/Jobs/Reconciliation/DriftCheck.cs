using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BindingService.Infrastructure.Jobs.Reconciliation;

/// <summary>
/// Compares Active bindings with QuerySubscriptionDetail, each at most once per DriftCheckInterval, at most
/// DriftChecksPerRun per run. The batch is claimed by stamping <c>drift_checked_at</c> in one short transaction over
/// rows taken <c>FOR UPDATE SKIP LOCKED</c>, so replicas never check the same binding at once. Our database is the
/// truth: parties or expiry that differ at the provider are pushed back with UpdateSubscription; a binding the provider
/// no longer has before its expiry is marked Released (reason EndedAtProvider, BindingReleased) through
/// <see cref="BindingLifecycle.EndAtProviderAsync"/>, so the order can be protected again. Bindings changed within DriftSettle are left for a later run (a change may be halfway).
/// </summary>
internal sealed partial class DriftCheck(
    IServiceScopeFactory scopes,
    IPrivacyNumberProvider provider,
    TimeProvider clock,
    ILogger<DriftCheck> logger)
{
    /// <summary>The provider may apply an expiry a little after ours; nearer than this to its expiry a binding is the sweeper's.</summary>
    private static readonly TimeSpan ExpirySkew = TimeSpan.FromMinutes(1);

    public async Task<ReconciliationSummary> CheckAsync(ReconcilerOptions settings, ProviderPace pace, CancellationToken stoppingToken)
    {
        var summary = new ReconciliationSummary();
        if (settings.DriftChecksPerRun == 0)
        {
            return summary;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var lifecycle = scope.ServiceProvider.GetRequiredService<BindingLifecycle>();
        var claimed = await ClaimAsync(db, settings, stoppingToken);
        foreach (var id in claimed)
        {
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            var binding = await db.Bindings.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, stoppingToken);
            if (binding is not { Status: BindingStatus.Active, SubsId: not null, SecretNo: not null })
            {
                continue;
            }

            await pace.WaitAsync(stoppingToken);
            summary.DriftChecked++;
            var subscription = binding.Subscription();
            var detail = await provider.QuerySubscriptionDetailAsync(subscription, stoppingToken);
            var now = clock.GetUtcNow();
            if (detail.Error is { Kind: not ProviderErrorKind.SubscriptionNotFound })
            {
                summary.ProviderErrors++;
                continue;
            }

            if (detail.Error is not null || !detail.Value!.InEffect)
            {
                if (binding.ExpiresAt > now + ExpirySkew && await lifecycle.EndAtProviderAsync(binding.Id, binding.Version, CancellationToken.None))
                {
                    summary.EndedAtProvider++;
                    LogEndedAtProvider(logger, binding.Id, binding.PoolKey, binding.SecretNo);
                }

                continue;
            }

            var repairs = Differences(binding, detail.Value, subscription).ToList();
            if (repairs.Count == 0)
            {
                continue;
            }

            var repaired = true;
            foreach (var repair in repairs)
            {
                await pace.WaitAsync(stoppingToken);
                var result = await provider.UpdateSubscriptionAsync(repair, CancellationToken.None);
                if (result.Error is not null)
                {
                    summary.ProviderErrors++;
                    repaired = false;
                }
            }

            if (repaired)
            {
                summary.DriftRepaired++;
                LogRepaired(logger, binding.Id, binding.PoolKey, string.Join(",", repairs.Select(r => r.GetType().Name)));
            }
        }

        return summary;
    }

    /// <summary>What to push so the provider holds what we hold: A, B (where it shows them) and the expiry.</summary>
    internal static IEnumerable<SubscriptionUpdate> Differences(Binding binding, SubscriptionDetail detail, SubscriptionRef subscription)
    {
        if (detail.PartyA is { } a && a != binding.PartyA)
        {
            yield return new SubscriptionUpdate.ChangePartyA(subscription, binding.PartyA);
        }

        if (detail.PartyB is { } b && binding.PartyB is { } ourB && b != ourB)
        {
            yield return new SubscriptionUpdate.ChangePartyB(subscription, ourB);
        }

        if (detail.ExpiresAt is { } expires && Math.Abs((expires - binding.ExpiresAt).TotalSeconds) >= 1)
        {
            yield return new SubscriptionUpdate.ChangeExpiry(subscription, binding.ExpiresAt);
        }
    }

    private async Task<IReadOnlyList<BindingId>> ClaimAsync(BindingDbContext db, ReconcilerOptions settings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = now - settings.DriftCheckInterval;
        var settled = now - settings.DriftSettle;
        var expiringAfter = now + ExpirySkew;
        var ids = await db.Database.SqlQuery<Guid>($"""
            UPDATE bindings SET drift_checked_at = {now}
            WHERE id IN (
                SELECT id FROM bindings
                WHERE status = 'Active' AND updated_at <= {settled} AND expires_at > {expiringAfter}
                  AND (drift_checked_at IS NULL OR drift_checked_at <= {due}) AND numbers_unreadable_at IS NULL
                ORDER BY drift_checked_at NULLS FIRST
                LIMIT {settings.DriftChecksPerRun}
                FOR UPDATE SKIP LOCKED)
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        return [.. ids.Select(id => new BindingId(id))];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift: the provider no longer has binding {BindingId} on {SecretNo} in pool {PoolKey} before its expiry; marked Released (EndedAtProvider)")]
    private static partial void LogEndedAtProvider(ILogger logger, BindingId bindingId, string poolKey, string secretNo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift: binding {BindingId} in pool {PoolKey} differed at the provider; pushed ours back ({Repairs})")]
    private static partial void LogRepaired(ILogger logger, BindingId bindingId, string poolKey, string repairs);
}
