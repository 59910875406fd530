using BindingService.Domain.Bindings;

namespace BindingService.Application.Abstractions;

/// <summary>
/// Loads and saves <see cref="Binding"/> aggregates. Saving writes the aggregate's domain events to
/// the outbox in the same transaction. Each Find starts a fresh unit of work (nothing stale is returned).
/// </summary>
public interface IBindingRepository
{
    /// <summary>The Pending or Active binding of an order, if any.</summary>
    Task<Binding?> FindOpenByOrderAsync(OrderKey order, CancellationToken cancellationToken);

    /// <summary>The most recently created binding of an order, whatever its state.</summary>
    Task<Binding?> FindLatestByOrderAsync(OrderKey order, CancellationToken cancellationToken);

    /// <summary>A binding by its id, whatever its state.</summary>
    Task<Binding?> FindByIdAsync(BindingId id, CancellationToken cancellationToken);

    /// <summary>The open binding of <paramref name="callerId"/> that carries <paramref name="trackingNumber"/>, if any.</summary>
    Task<Binding?> FindOpenByTrackingNumberAsync(string callerId, string trackingNumber, CancellationToken cancellationToken);

    /// <summary>Inserts a new binding. False when the order already has an open binding (a concurrent request won).</summary>
    Task<bool> TryAddAsync(Binding binding, CancellationToken cancellationToken);

    /// <summary>Saves a loaded binding and its events atomically. False when someone else changed it first.</summary>
    Task<bool> TrySaveAsync(Binding binding, CancellationToken cancellationToken);
}
