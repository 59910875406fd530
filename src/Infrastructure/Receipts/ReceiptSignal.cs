using BindingService.Infrastructure.Messaging;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// Wakes the receipt processor when the receiver stored new rows, so processing does not wait for the next poll.
/// The same wake-up as the outbox dispatcher's (<see cref="OutboxSignal"/>), a separate instance.
/// </summary>
public sealed class ReceiptSignal
{
    private readonly OutboxSignal _signal = new();

    public void Notify() => _signal.Notify();

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
