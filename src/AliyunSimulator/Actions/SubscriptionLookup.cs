using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions;

/// <summary>
/// Finds the binding an Update, Unbind or Query names (R-UPD-1): <c>SubsId</c> and its X, within <c>PoolKey</c>
/// or, for legacy callers without one, <c>ProductType</c>. At least one of the two is required (docs/provider-rules.md
/// B.10: Unbind is held to the same rule). Anything that does not match is <c>isv.SUBS_NOT_EXIST</c>.
/// </summary>
public sealed record SubscriptionLookup(string SubsId, string SecretNo, string? PoolKey, string? Product)
{
    /// <summary>Reads the scope before the store is touched; <paramref name="secretNoParameter"/> is PhoneNoX or SecretNo.</summary>
    public static ActionResult? TryRead(ActionRequest request, string secretNoParameter, out SubscriptionLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(request);
        lookup = new SubscriptionLookup(string.Empty, string.Empty, null, null);
        var poolKey = request.Optional("PoolKey");
        var productType = request.Optional("ProductType");
        if (poolKey is null && productType is null)
        {
            return ActionResult.Missing("PoolKey");
        }

        string? product = null;
        if (productType is not null && !ParameterRules.ProductTypes.TryGetValue(productType, out product))
        {
            return BusinessError.InvalidParameters("ProductType must be AXB_170, AXN_170, AXN_95 or AXN_EXTENSION_REUSE.");
        }

        lookup = new SubscriptionLookup(request.Required("SubsId"), request.Required(secretNoParameter), poolKey, product);
        return null;
    }

    /// <summary>The binding, or the business error to answer. Runs inside the store transaction.</summary>
    public BusinessError? TryFind(SimulatorState state, out Binding binding)
    {
        ArgumentNullException.ThrowIfNull(state);
        binding = null!;
        if (PoolKey is not null && !state.Pools.ContainsKey(PoolKey))
        {
            return BusinessError.PoolKeyNotExists();
        }

        var found = state.FindBinding(SubsId);
        if (found is null
            || !string.Equals(found.SecretNo, SecretNo, StringComparison.Ordinal)
            || (PoolKey is not null && !string.Equals(found.PoolKey, PoolKey, StringComparison.Ordinal))
            || (Product is not null && !string.Equals(found.Product, Product, StringComparison.Ordinal)))
        {
            return BusinessError.SubsNotExist();
        }

        binding = found;
        return null;
    }
}
