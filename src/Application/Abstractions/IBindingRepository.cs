using BindingService.Domain.Bindings;

namespace BindingService.Application.Abstractions;

/// <summary>
/// Loads and saves <see cref="Binding"/> aggregates within one unit of work (one per use case). A Find returns the
/// binding as the database has it now and keeps it tracked; finding the same binding again replaces the earlier
/// instance (which must not have unsaved changes), and leaves every other tracked binding alone. Saving dispatches the
/// aggregates' domain events to their handlers (outbox rows, number reservations) in the same transaction.
/// </summary>
public interface IBindingRepository
{
    /// <summary>
    /// The order's binding now: the Pending or Active one if there is one, else the most recently created, whatever
    /// its state, in one read.
    /// </summary>
    Task<Binding?> FindCurrentByOrderAsync(OrderKey order, CancellationToken cancellationToken);

    /// <summary>A binding by its id, whatever its state.</summary>
    Task<Binding?> FindByIdAsync(BindingId id, CancellationToken cancellationToken);

    /// <summary>The open binding of <paramref name="callerId"/> that carries <paramref name="trackingNumber"/>, if any.</summary>
    Task<Binding?> FindOpenByTrackingNumberAsync(string callerId, string trackingNumber, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> Active bindings whose expiry is at or before <paramref name="now"/>, oldest first,
    /// locked for this transaction and skipped by every other (<c>FOR UPDATE SKIP LOCKED</c>). Only inside
    /// <see cref="InTransactionAsync{T}"/>.
    /// </summary>
    Task<IReadOnlyList<Binding>> LockDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Inserts a new binding. False when the order already has an open binding (a concurrent request won).</summary>
    Task<bool> TryAddAsync(Binding binding, CancellationToken cancellationToken);

    /// <summary>
    /// Saves every tracked change and the domain events of the changed bindings atomically. False when someone else
    /// changed one of them first: the unit of work then holds the database's current state again. Throws
    /// <see cref="StoreConflictException"/> when the change breaks an integrity rule of the store.
    /// </summary>
    Task<bool> TrySaveAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one database transaction (again, from the start, after a transient failure).</summary>
    Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}
