using BindingService.Contracts;

namespace BindingService.Application.Calls;

/// <summary>
/// The transactional outbox for call and number events (the same outbox as binding events): an event added here is
/// written in the transaction that records the receipt's effect and published after commit, in order per call.
/// </summary>
public interface ICallEventOutbox
{
    void Add(ICallEvent callEvent);

    void Add(VirtualNumberHealthChanged healthChanged);
}
