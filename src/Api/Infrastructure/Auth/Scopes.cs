namespace BindingService.Api.Infrastructure.Auth;

/// <summary>
/// The scopes a caller's token carries (claim <c>scope</c>, space-separated, or <c>scp</c>), one per business line and
/// one for operators; each is also the name of the authorization policy that requires it (docs/security.md).
/// </summary>
public static class Scopes
{
    /// <summary>Ride orders: protect, read, change, complete, release (/v1/ride-orders).</summary>
    public const string Rides = "rides";

    /// <summary>Delivery orders (/v1/delivery-orders).</summary>
    public const string Deliveries = "deliveries";

    /// <summary>Generic bindings and G groups (/v1/bindings, /v1/groups).</summary>
    public const string Bindings = "bindings";

    /// <summary>Operators: number pools and the other /v1/admin endpoints.</summary>
    public const string PoolsAdmin = "pools:admin";

    public static readonly IReadOnlyList<string> All = [Rides, Deliveries, Bindings, PoolsAdmin];

    /// <summary>What each scope allows, for the OpenAPI security scheme.</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Rides] = "Protect and manage the caller's ride orders.",
        [Deliveries] = "Protect and manage the caller's delivery orders.",
        [Bindings] = "Create and manage the caller's generic bindings and G groups.",
        [PoolsAdmin] = "Operate number pools and the other administration endpoints.",
    };
}
