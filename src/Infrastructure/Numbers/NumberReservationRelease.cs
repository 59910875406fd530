using BindingService.Domain.Bindings;
using BindingService.Domain.Bindings.Events;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;
using NpgsqlTypes;

namespace BindingService.Infrastructure.Numbers;

/// <summary>
/// Keeps reservations in step with bindings, in the transaction that saves the binding: a binding that becomes
/// Failed, Released or Expired gives its reservations up (and its pair back to X); an open binding whose B changed
/// moves B's reservation (the unique index still guards X). Bindings of provider-mode pools have no reservations,
/// so the statements touch nothing for them.
/// </summary>
internal sealed class NumberReservationRelease
{
    private readonly List<Guid> _ended = [];
    private readonly List<(Guid BindingId, byte[] PartyB)> _movedB = [];

    public bool IsEmpty => _ended.Count == 0 && _movedB.Count == 0;

    /// <summary>Reads what must change from the pending domain events (call before they are turned into outbox rows).</summary>
    public static NumberReservationRelease Collect(ChangeTracker tracker, PhoneNumberProtector protector)
    {
        var release = new NumberReservationRelease();
        foreach (var entry in tracker.Entries<Binding>())
        {
            var binding = entry.Entity;
            foreach (var domainEvent in binding.DomainEvents)
            {
                switch (domainEvent)
                {
                    case BindingFailed or BindingReleased or BindingExpired:
                        release._ended.Add(binding.Id.Value);
                        break;
                    case BindingUpdated updated when updated.Changes.Contains(BindingChange.PartyB) && binding.PartyB is { } b:
                        release._movedB.Add((binding.Id.Value, protector.Hash(b)));
                        break;
                }
            }
        }

        return release;
    }

    /// <summary>
    /// Runs <paramref name="save"/> (EF's save, not accepting changes) and these statements in one transaction: the
    /// caller's when there is one, else its own inside the execution strategy.
    /// </summary>
    public async Task<int> SaveWithAsync(BindingDbContext db, Func<Task<int>> save, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        int written;
        if (db.Database.CurrentTransaction is not null)
        {
            written = await save();
            await ApplyAsync(db, cancellationToken);
        }
        else
        {
            written = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var count = await save();
                await ApplyAsync(db, ct);
                await transaction.CommitAsync(ct);
                return count;
            }, cancellationToken);
        }

        if (acceptAllChangesOnSuccess)
        {
            db.ChangeTracker.AcceptAllChanges();
        }

        return written;
    }

    private async Task ApplyAsync(BindingDbContext db, CancellationToken cancellationToken)
    {
        if (_ended.Count > 0)
        {
            await db.Database.ExecuteSqlRawAsync(
                NumberSelectionSql.Release,
                [new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = _ended.ToArray() }],
                cancellationToken);
        }

        foreach (var (bindingId, partyB) in _movedB)
        {
            await db.Database.ExecuteSqlRawAsync(
                NumberSelectionSql.MoveB,
                [
                    new NpgsqlParameter("binding", bindingId),
                    new NpgsqlParameter("hash", NpgsqlDbType.Bytea) { Value = partyB },
                ],
                cancellationToken);
        }
    }
}
