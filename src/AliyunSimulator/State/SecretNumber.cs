namespace BindingService.AliyunSimulator.State;

/// <summary>An X number bought into a pool. Mutable state, only touched under the store's lock.</summary>
public sealed class SecretNumber(string secretNo, string poolKey, string city, bool locked, bool frozen)
{
    private readonly bool initiallyLocked = locked;
    private readonly bool initiallyFrozen = frozen;

    public string SecretNo { get; } = secretNo;

    public string PoolKey { get; } = poolKey;

    public string City { get; } = city;

    public bool Locked { get; set; } = locked;

    public bool Frozen { get; set; } = frozen;

    /// <summary>Locked and frozen numbers are never chosen for a new binding (R-NUM-5, R-NUM-6).</summary>
    public bool Selectable => !Locked && !Frozen;

    internal void Restore()
    {
        Locked = initiallyLocked;
        Frozen = initiallyFrozen;
    }
}
