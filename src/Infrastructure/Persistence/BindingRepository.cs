using System.Runtime.CompilerServices;
using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Persistence.Configurations;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
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
    // The order lookup runs on every request about an order: compiled once per EF model (see OrderQueries), which spares
    // the expression tree and its cache key on each call (docs/performance.md).
    public async Task<Binding?> FindCurrentByOrderAsync(OrderKey order, CancellationToken cancellationToken) =>
        TrackOrNull(await OrderQueries.For(db).Current(db, order.CallerId, order.BusinessLine, order.OrderId, cancellationToken));

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
        catch (DbUpdateException ex) when (ex is OpenOrderTakenException
            || ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: BindingConfiguration.OpenOrderIndex })
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

    private async Task<Binding?> TrackFirstAsync(IQueryable<Binding> query, CancellationToken cancellationToken) =>
        TrackOrNull(await query.AsNoTracking().FirstOrDefaultAsync(cancellationToken));

    private Binding? TrackOrNull(Binding? found) => found is null ? null : Track(found);

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

/// <summary>
/// The order lookup as a compiled query. A compiled query keeps the model of the first context it ran on, and the
/// service builds one model per phone-key set (<see cref="ProtectorModelCacheKeyFactory"/>; two meet in one process
/// during a key rotation), so it is compiled once per model, never shared across models.
/// </summary>
internal sealed class OrderQueries
{
    private static readonly ConditionalWeakTable<IModel, OrderQueries> PerModel = [];

    /// <summary>The open binding (at most one: the partial unique index), else the latest; ix_bindings_order_created finds the order's rows.</summary>
    public Func<BindingDbContext, string, BusinessLine, string, CancellationToken, Task<Binding?>> Current { get; } =
        EF.CompileAsyncQuery((BindingDbContext db, string callerId, BusinessLine line, string orderId, CancellationToken _) =>
            db.Bindings.AsNoTracking()
                .Where(b => b.CallerId == callerId && b.BusinessLine == line && b.OrderId == orderId)
                .OrderBy(b => b.Status == BindingStatus.Pending || b.Status == BindingStatus.Active ? 0 : 1)
                .ThenByDescending(b => b.CreatedAt)
                .FirstOrDefault());

    public static OrderQueries For(BindingDbContext db) => PerModel.GetValue(db.Model, _ => new OrderQueries());
}
