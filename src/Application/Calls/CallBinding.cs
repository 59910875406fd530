namespace BindingService.Application.Calls;

/// <summary>
/// Our binding a call belongs to, as the receipts processing needs it: whose it is and whether it was in effect
/// when the call was made (docs/receipts.md, 'Linking a call to a binding').
/// </summary>
public sealed record CallBinding(Guid BindingId, string CallerId, string BusinessLine, string OrderId, bool InEffectAtCallTime);

/// <summary>Finds the binding of a call: by OutId (our id), else SubsId on X, else the caller's last binding on X.</summary>
public interface ICallBindingLookup
{
    Task<CallBinding?> FindAsync(CallReceipt receipt, CancellationToken cancellationToken);
}
