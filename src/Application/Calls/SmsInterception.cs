using BindingService.Contracts;
using BindingService.Domain.Common;

namespace BindingService.Application.Calls;

/// <summary>
/// An intercepted SMS (SecretSmsIntercept) becomes one <see cref="SmsIntercepted"/> (docs/receipts.md, 'Intercepted
/// SMS'): the sender (send_no) and the recipient (receive_no) masked, X, when it was sent, why it was held, and the
/// binding it belongs to. The SMS text is never part of it: the receipt carries it, but nothing here reads it.
/// </summary>
public static class SmsInterception
{
    /// <summary>The event of <paramref name="receipt"/>; <paramref name="eventId"/> is the same for every receipt of the SMS.</summary>
    public static SmsIntercepted EventFor(Guid eventId, CallReceipt receipt, CallBinding? binding, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return new SmsIntercepted(
            eventId,
            receipt.CallId ?? string.Empty,
            binding?.BindingId,
            binding?.CallerId,
            binding?.BusinessLine,
            binding?.OrderId,
            now,
            receipt.PhoneNo is { Length: > 0 } sender ? PhoneNumber.Mask(sender) : string.Empty,
            receipt.PeerNo is { Length: > 0 } recipient ? PhoneNumber.Mask(recipient) : null,
            receipt.SecretNo ?? string.Empty,
            receipt.PoolKey,
            receipt.CallTime ?? now,
            InterceptType(receipt.SmsInterceptType, binding),
            receipt.SmsType == 3,
            receipt.DeliveryCode);
    }

    /// <summary>
    /// normal, noBinding, controlDisabled, recipientNotFound, or other; when the receipt does not say, normal if the
    /// SMS's binding was in effect, else noBinding.
    /// </summary>
    public static string InterceptType(string? providerType, CallBinding? binding) => providerType?.ToUpperInvariant() switch
    {
        "NORMAL" => "normal",
        "SUBS_NOT_EXISTS" => "noBinding",
        "CONTROL_DISABLE" => "controlDisabled",
        "CALLED_NOT_EXISTS" => "recipientNotFound",
        null => binding is { InEffectAtCallTime: true } ? "normal" : "noBinding",
        _ => "other",
    };
}
