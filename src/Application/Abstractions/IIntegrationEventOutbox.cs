using BindingService.Contracts;

namespace BindingService.Application.Abstractions;

/// <summary>
/// The transactional outbox (docs/decisions/0001-own-transactional-outbox.md): an integration event added here is
/// written in the transaction of the change that raised it and published after commit, at least once.
/// </summary>
public interface IIntegrationEventOutbox
{
    /// <summary>Queues <paramref name="integrationEvent"/> (its EventId becomes the message id) for the current save.</summary>
    void Add(IBindingEvent integrationEvent);
}
