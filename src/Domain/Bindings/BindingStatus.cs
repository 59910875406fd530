namespace BindingService.Domain.Bindings;

/// <summary>
/// Pending → Active → Released | Expired; Pending → Failed.
/// Pending and Active are "open": at most one open binding per order.
/// </summary>
public enum BindingStatus
{
    /// <summary>Recorded before the provider call; the outcome is not known yet.</summary>
    Pending,

    /// <summary>The provider created it: calls through X are routed.</summary>
    Active,

    /// <summary>The provider refused it definitively.</summary>
    Failed,

    /// <summary>Ended early by us (cancel, release) and unbound at the provider.</summary>
    Released,

    /// <summary>Reached its expiry.</summary>
    Expired,
}

public static class BindingStatusExtensions
{
    public static bool IsOpen(this BindingStatus status) => status is BindingStatus.Pending or BindingStatus.Active;
}
