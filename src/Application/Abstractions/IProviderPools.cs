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
}
