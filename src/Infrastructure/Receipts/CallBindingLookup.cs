using BindingService.Application.Bindings;
using BindingService.Application.Calls;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Persistence.Configurations;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// Links a receipt to our binding (docs/receipts.md, 'Linking a call to a binding'): by <c>out_id</c> (our binding id,
/// sent as OutId in the bind), else by <c>sub_id</c> on X, else — for a call the provider found no binding for — the
/// caller's last binding on X (by the keyed hash of the caller's number, never the number).
/// </summary>
internal sealed class CallBindingLookup(BindingDbContext db, PhoneNumberProtector protector) : ICallBindingLookup
{
    public async Task<CallBinding?> FindAsync(CallReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var bindings = db.Bindings.AsNoTracking();
        Binding? found = null;
        if (BindingId.TryParse(receipt.OutId, out var id))
        {
            found = await bindings.FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        }

        if (found is null && receipt.SubsId is { } subsId)
        {
            found = await bindings.Where(b => b.SubsId == subsId && (receipt.SecretNo == null || b.SecretNo == receipt.SecretNo))
                .OrderByDescending(b => b.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        }

        if (found is null && receipt.SecretNo is { } secretNo && PhoneNumber.TryParse(receipt.CallerNumber, out var caller))
        {
            var hashes = protector.HashesForLookup(caller).ToList(); // under every hash version in use (a rotation may be under way)
            found = await bindings
                .Where(b => b.SecretNo == secretNo
                    && (hashes.Contains(EF.Property<byte[]>(b, BindingConfiguration.PartyAHash)) || hashes.Contains(EF.Property<byte[]>(b, BindingConfiguration.PartyBHash))))
                .OrderByDescending(b => b.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        }

        if (found is null)
        {
            return null;
        }

        return new CallBinding(found.Id.Value, found.CallerId, WireNames.BusinessLine(found.BusinessLine), found.OrderId, InEffect(found, receipt.CallTime));
    }

    /// <summary>Pending or Active, and not ended or expired before the call (whole seconds: call times carry no fraction).</summary>
    private static bool InEffect(Binding b, DateTimeOffset? callTime)
    {
        if (b.Status is BindingStatus.Failed)
        {
            return false;
        }

        if (callTime is not { } t)
        {
            return b.Status is BindingStatus.Pending or BindingStatus.Active;
        }

        var end = b.EndedAt is { } ended && ended < b.ExpiresAt ? ended : b.ExpiresAt;
        return t < end.AddSeconds(1) && (b.Status is BindingStatus.Pending or BindingStatus.Active || b.EndedAt is not null);
    }
}
