using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Persistence.Configurations;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BindingService.Infrastructure.Persistence;

/// <summary>
/// The binding repository over the scope's <see cref="BindingDbContext"/>, which is the use case's unit of work. A
/// Find reads the row as it is now and tracks it, replacing an earlier instance of the same binding (never one with
/// unsaved changes); other tracked bindings are left alone. Saving is <see cref="UnitOfWork"/>'s.
/// </summary>
internal sealed class BindingRepository(BindingDbContext db, UnitOfWork unitOfWork, ILogger<BindingRepository> logger) : IBindingRepository
{
    public Task<Binding?> FindOpenByOrderAsync(OrderKey order, CancellationToken cancellationToken) =>
        TrackFirstAsync(
            db.Bindings
                .Where(b => b.CallerId == order.CallerId && b.BusinessLine == order.BusinessLine && b.OrderId == order.OrderId)
                .Where(b => b.Status == BindingStatus.Pending || b.Status == BindingStatus.Active),
            cancellationToken);

    public Task<Binding?> FindLatestByOrderAsync(OrderKey order, CancellationToken cancellationToken) =>
        TrackFirstAsync(
            db.Bindings
                .Where(b => b.CallerId == order.CallerId && b.BusinessLine == order.BusinessLine && b.OrderId == order.OrderId)
                .OrderByDescending(b => b.CreatedAt),
            cancellationToken);

    public Task<Binding?> FindByIdAsync(BindingId id, CancellationToken cancellationToken) =>
        TrackFirstAsync(db.Bindings.Where(b => b.Id == id), cancellationToken);

    public Task<Binding?> FindOpenByTrackingNumberAsync(string callerId, string trackingNumber, CancellationToken cancellationToken) =>
        TrackFirstAsync(
            db.Bindings
                .Where(b => b.CallerId == callerId && b.TrackingNumber == trackingNumber)
                .Where(b => b.Status == BindingStatus.Pending || b.Status == BindingStatus.Active)
                .OrderByDescending(b => b.CreatedAt),
            cancellationToken);

    public async Task<IReadOnlyList<Binding>> LockDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("LockDueAsync takes row locks: call it inside InTransactionAsync.");
        }

        // Served by the partial index ix_bindings_active_expiry (expires_at WHERE status = 'Active'). A binding whose
        // numbers cannot be decrypted is passed by, and marked so that it is not taken again (Security/UnreadableRows.cs).
        var ids = await db.Database.SqlQuery<Guid>($"""
            SELECT id AS "Value" FROM bindings
            WHERE status = 'Active' AND expires_at <= {now} AND numbers_unreadable_at IS NULL
            ORDER BY expires_at
            LIMIT {limit}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        var due = await UnreadableRows.ReadAsync(db, ids, "Expiry sweeper", now, logger, cancellationToken);
        return [.. due.Select(Track)];
    }

    public async Task<bool> TryAddAsync(Binding binding, CancellationToken cancellationToken)
    {
        db.Bindings.Add(binding);
        try
        {
            await unitOfWork.SaveAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: BindingConfiguration.OpenOrderIndex })
        {
            unitOfWork.Forget(binding);
            return false;
        }
    }

    public async Task<bool> TrySaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await unitOfWork.SaveAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            await unitOfWork.RevertAsync(cancellationToken);
            return false;
        }
        catch (Exception ex) when (StoreConflicts.RuleOf(ex) is { } rule)
        {
            await unitOfWork.RevertAsync(cancellationToken);
            throw new StoreConflictException(rule, ex);
        }
    }

    public Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        unitOfWork.InTransactionAsync(work, cancellationToken);

    private async Task<Binding?> TrackFirstAsync(IQueryable<Binding> query, CancellationToken cancellationToken)
    {
        var found = await query.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : Track(found);
    }

    /// <summary>Tracks <paramref name="fresh"/> in place of an earlier, unchanged instance of the same binding.</summary>
    private Binding Track(Binding fresh)
    {
        var earlier = db.ChangeTracker.Entries<Binding>().FirstOrDefault(e => e.Entity.Id == fresh.Id);
        if (earlier is not null)
        {
            if (earlier.State != EntityState.Unchanged || earlier.Entity.DomainEvents.Count > 0)
            {
                throw new InvalidOperationException($"Binding {fresh.Id} was read again while it had unsaved changes; save (or give up) the change first.");
            }

            earlier.State = EntityState.Detached;
        }

        db.Bindings.Attach(fresh);
        return fresh;
    }
}
