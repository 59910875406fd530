namespace BindingService.Application.Abstractions;

/// <summary>Which provider pool each kind of protection is bound in.</summary>
public interface IProviderPools
{
    /// <summary>Ride orders (AXB).</summary>
    string RidePoolKey { get; }

    /// <summary>Delivery orders (AXN extension by default).</summary>
    string DeliveryPoolKey { get; }

    /// <summary>Delivery orders of platforms that prefer AXB.</summary>
    string DeliveryAxbPoolKey { get; }

    /// <summary>Generic bindings and G groups of a product, unless the request names a pool.</summary>
    string PoolFor(Domain.Bindings.BindingProduct product);

    /// <summary>Every pool the service is configured for: its own and those configured for callers. Nothing else is audited.</summary>
    IReadOnlyCollection<string> Configured { get; }

    /// <summary>Whether <paramref name="callerId"/> may bind in <paramref name="poolKey"/> (Protection:CallerPools, else the service's own pools).</summary>
    bool Allows(string callerId, string poolKey);
}
