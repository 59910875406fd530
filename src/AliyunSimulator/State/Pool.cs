namespace BindingService.AliyunSimulator.State;

/// <summary>A number pool: its key, product and X-allocation mode, and its numbers in configuration (then purchase) order.</summary>
public sealed class Pool(string poolKey, string product, bool strictCityMatch)
{
    /// <summary>The pool products OperateBlackNo accepts (docs/provider-rules.md R-BLK-1): AXN, AXN extension and 95 AXN.</summary>
    private static readonly string[] PoolBlacklistProducts = ["AXN", "AXN_EXTENSION", "AXN_95", "95AXN"];

    public string PoolKey { get; } = poolKey;

    public string Product { get; } = product;

    public bool StrictCityMatch { get; } = strictCityMatch;

    public List<SecretNumber> Numbers { get; } = [];

    /// <summary>True when the pool's product takes a pool blacklist through OperateBlackNo (R-BLK-1).</summary>
    public bool AcceptsPoolBlacklist => PoolBlacklistProducts.Contains(Product, StringComparer.OrdinalIgnoreCase);
}
