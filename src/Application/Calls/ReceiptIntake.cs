namespace BindingService.Application.Calls;

/// <summary>
/// Stores a pushed batch of receipts in the inbox, in one transaction, before it is acknowledged
/// (Infrastructure/Receipts/ReceiptInbox.cs). A body that cannot be read is stored as poison and still acknowledged;
/// a storage failure throws, so the push is answered with an error and the provider retries.
/// </summary>
public interface IReceiptIntake
{
    Task<IntakeResult> AcceptAsync(string messageType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

/// <summary>How many messages were stored, how many were duplicates of stored ones, and how many were poison.</summary>
public sealed record IntakeResult(int Stored, int Duplicates, int Poison);
