using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.Bindings;

/// <summary>
/// The errors of a binding's life, each code defined here once for every business line (docs/api.md, "Errors").
/// Provider failures are translated by <see cref="ProviderErrors"/>; business-line specific refusals live beside their
/// use cases (<c>DeliveryOrderErrors</c>, <c>GenericBindingErrors</c>).
/// </summary>
public static class BindingErrors
{
    /// <summary>A Pending binding did not settle within Protection:PendingWaitTimeout (another request is still binding it).</summary>
    public static readonly Error Pending =
        Error.Unavailable("binding.pending", "The protection is still being set up. Retry shortly.", TimeSpan.FromSeconds(2));

    /// <summary>Concurrent changes won every one of <see cref="BindingLifecycle.MaxLostRaces"/> attempts.</summary>
    public static readonly Error Contended =
        Error.Unavailable("binding.contended", "The protection is being changed concurrently. Retry the same request.", TimeSpan.FromSeconds(1));

    /// <summary>The order already has an open protection of another product or with other parties.</summary>
    public static readonly Error OtherParties = Error.Conflict(
        "order.protected_with_other_parties",
        "The order is already protected with other parties or another product. Release it first.");

    /// <summary>No binding was ever recorded for the order.</summary>
    public static readonly Error OrderNotFound = Error.NotFound("order.not_found", "No protection exists for this order.");

    /// <summary>No binding of the caller has this id.</summary>
    public static readonly Error BindingNotFound = Error.NotFound("binding.not_found", "No binding exists with this id.");

    /// <summary>The reason a Pending binding is failed when the provider turns out never to have bound it.</summary>
    public const string NotBoundAtProvider = "provider.not_bound";

    /// <summary>
    /// The store refused a change because of <paramref name="rule"/>: a 409 naming what conflicted (retrying cannot help).
    /// </summary>
    public static Error StoreConflict(StoreRule rule) => rule switch
    {
        StoreRule.TrackingNumberOfOpenBinding => TrackingNumberInUse,
        StoreRule.PartyOnVirtualNumber => Error.Conflict(
            "number.party_reserved_on_x",
            "A party of this change is already reserved on the binding's virtual number by another binding."),
        _ => Error.Conflict("storage.conflict", "The change conflicts with data already stored."),
    };

    /// <summary>The tracking number already leads to another open binding of the caller.</summary>
    public static readonly Error TrackingNumberInUse = Error.Conflict(
        "delivery.tracking_number_in_use",
        "The tracking number is attached to another open delivery order.");

    /// <summary>An order's protection has ended (released, expired or failed): it can no longer change.</summary>
    public static Error ProtectionEnded(BindingStatus status) => Error.Conflict(
        "order.protection_ended",
        $"The order's protection is {WireNames.Status(status)}; it can no longer change. Protect the order again.");

    /// <summary>A binding addressed by id has ended (released, expired or failed): it can no longer change.</summary>
    public static Error NotActive(BindingStatus status) =>
        Error.Conflict("binding.not_active", $"Only an active binding can change; this one is {WireNames.Status(status)}.");
}
