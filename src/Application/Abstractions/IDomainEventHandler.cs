using BindingService.Domain.Common;

namespace BindingService.Application.Abstractions;

/// <summary>
/// Reacts to a domain event inside the transaction that saves it: whatever it writes commits or rolls back with the
/// aggregate's change. The unit of work calls every registered handler of an event's type, in registration order,
/// once per save attempt, before the database is written.
/// </summary>
public interface IDomainEventHandler<in TEvent>
    where TEvent : IDomainEvent
{
    Task HandleAsync(TEvent domainEvent, CancellationToken cancellationToken);
}
