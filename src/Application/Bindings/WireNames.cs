using BindingService.Domain.Bindings;

namespace BindingService.Application.Bindings;

/// <summary>
/// How every value of a binding is spelled on the wire, once, for the API and the events alike (docs/api.md and
/// docs/events.md show the same words): products, call restrictions, statuses, business lines, release reasons and
/// the names of changes.
/// </summary>
public static class WireNames
{
    public const string ProductValues = "axb, axn, axnExtension or axg";

    public const string CallRestrictionValues = "none, partyACannotCall or partyBCannotCall";

    public static string Product(BindingProduct product) => product switch
    {
        BindingProduct.Axb => "axb",
        BindingProduct.Axn => "axn",
        BindingProduct.AxnExtension => "axnExtension",
        BindingProduct.Axg => "axg",
        _ => throw new ArgumentOutOfRangeException(nameof(product), product, null),
    };

    public static bool TryParseProduct(string? value, out BindingProduct product) => TryParse(value, Product, out product);

    public static string CallRestriction(CallRestriction restriction) => restriction switch
    {
        Domain.Bindings.CallRestriction.None => "none",
        Domain.Bindings.CallRestriction.PartyACannotCall => "partyACannotCall",
        Domain.Bindings.CallRestriction.PartyBCannotCall => "partyBCannotCall",
        _ => throw new ArgumentOutOfRangeException(nameof(restriction), restriction, null),
    };

    public static bool TryParseCallRestriction(string? value, out CallRestriction restriction) => TryParse(value, CallRestriction, out restriction);

    /// <summary>pending, active, released, expired or failed.</summary>
    public static string Status(BindingStatus status) => status switch
    {
        BindingStatus.Pending => "pending",
        BindingStatus.Active => "active",
        BindingStatus.Released => "released",
        BindingStatus.Expired => "expired",
        BindingStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>ride, delivery or generic.</summary>
    public static string BusinessLine(BusinessLine line) => line switch
    {
        Domain.Bindings.BusinessLine.Ride => "ride",
        Domain.Bindings.BusinessLine.Delivery => "delivery",
        Domain.Bindings.BusinessLine.Generic => "generic",
        _ => throw new ArgumentOutOfRangeException(nameof(line), line, null),
    };

    /// <summary>cancelled or endedAtProvider.</summary>
    public static string ReleaseReason(ReleaseReason reason) => reason switch
    {
        Domain.Bindings.ReleaseReason.Cancelled => "cancelled",
        Domain.Bindings.ReleaseReason.EndedAtProvider => "endedAtProvider",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The name of a change in BindingUpdated.changes: partyB, expiresAt, recording, callRestriction, groupId, trackingNumber, completed.</summary>
    public static string Change(BindingChange change) => change switch
    {
        BindingChange.PartyB => "partyB",
        BindingChange.ExpiresAt => "expiresAt",
        BindingChange.Recording => "recording",
        BindingChange.CallRestriction => "callRestriction",
        BindingChange.GroupId => "groupId",
        BindingChange.TrackingNumber => "trackingNumber",
        BindingChange.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };

    private static bool TryParse<T>(string? value, Func<T, string> name, out T parsed)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(value, name(candidate), StringComparison.OrdinalIgnoreCase))
            {
                parsed = candidate;
                return true;
            }
        }

        parsed = default;
        return false;
    }
}
