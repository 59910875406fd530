using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Domain.Bindings.Events;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace BindingService.Infrastructure.Numbers;

/// <summary>
/// Keeps number reservations in step with bindings, in the transaction that saves the binding: a binding that becomes
/// Failed, Released or Expired gives its reservations up (and its pair back to X); an open binding whose B changed
/// moves B's reservation (the unique index still guards X). Bindings of provider-mode pools have no reservations, so
/// the statements touch nothing for them (docs/decisions/0003-local-number-selection.md).
/// </summary>
internal sealed class NumberReservationRelease(PhoneNumberProtector protector) : IDomainEventHandler<BindingDomainEvent>, ITransactionWork
{
    private readonly List<Guid> _ended = [];
    private readonly List<(Guid BindingId, byte[] PartyB)> _movedB = [];

    public Task HandleAsync(BindingDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        switch (domainEvent)
        {
            case BindingFailed or BindingReleased or BindingExpired:
                _ended.Add(domainEvent.Binding.Id.Value);
                break;
            case BindingUpdated updated when updated.Changes.Contains(BindingChange.PartyB) && updated.Binding.PartyB is { } b:
                _movedB.Add((updated.Binding.Id.Value, protector.Hash(b)));
                break;
        }

        return Task.CompletedTask;
    }

    public bool HasWork => _ended.Count > 0 || _movedB.Count > 0;

    public async Task RunAsync(BindingDbContext db, CancellationToken cancellationToken)
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

    public void Reset()
    {
        _ended.Clear();
        _movedB.Clear();
    }
}
