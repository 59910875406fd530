namespace BindingService.AliyunSimulator.State;

/// <summary>A number pool: its key, product and X-allocation mode, and its numbers in configuration order.</summary>
public sealed class Pool(string poolKey, string product, bool strictCityMatch)
{
    public string PoolKey { get; } = poolKey;

    public string Product { get; } = product;

    public bool StrictCityMatch { get; } = strictCityMatch;

    public List<SecretNumber> Numbers { get; } = [];
}
