namespace BindingService.AliyunSimulator.State;

/// <summary>
/// An X number bought into a pool (docs/provider-rules.md R-NUM-4): configured at start or bought with BuySecretNo.
/// Mutable state, only touched under the store's lock.
/// </summary>
public sealed class SecretNumber(string secretNo, string poolKey, string city, bool locked, bool frozen)
{
    private readonly bool initiallyLocked = locked;
    private readonly bool initiallyFrozen = frozen;

    public string SecretNo { get; } = secretNo;

    public string PoolKey { get; } = poolKey;

    public string City { get; } = city;

    public bool Locked { get; set; } = locked;

    public bool Frozen { get; set; } = frozen;

    /// <summary><c>1</c> virtual-operator 170/171, <c>2</c> carrier, <c>3</c> 95 number (R-NUM-2).</summary>
    public long SpecId { get; internal set; } = 1;

    /// <summary><c>1</c> China Mobile, <c>2</c> China Unicom, <c>3</c> China Telecom (R-NUM-8).</summary>
    public long Vendor { get; internal set; } = 1;

    public string Province { get; internal set; } = string.Empty;

    /// <summary>When the number was bought: for a configured number, when the simulator started (null until then).</summary>
    public DateTimeOffset? PurchaseTime { get; internal set; }

    /// <summary><c>0</c> not certified, <c>1</c> certified (R-NUM-8).</summary>
    public int CertifyStatus { get; internal set; }

    /// <summary>Put in the display pool (<c>DisplayPool=true</c> on a purchase by a customer with the display feature).</summary>
    public bool DisplayPool { get; init; }

    /// <summary>True for a number from the configuration, false for one bought through BuySecretNo (a reset removes those).</summary>
    public bool Configured { get; init; } = true;

    /// <summary>Locked and frozen numbers are never chosen for a new binding (R-NUM-5, R-NUM-6).</summary>
    public bool Selectable => !Locked && !Frozen;

    /// <summary>SecretStatus (R-NUM-5): frozen (3) over locked (2) over bound (1) over unbound (0).</summary>
    public long StatusWith(int activeBindings) => (Frozen, Locked, activeBindings > 0) switch
    {
        (true, _, _) => 3,
        (_, true, _) => 2,
        (_, _, true) => 1,
        _ => 0,
    };

    internal void Restore()
    {
        Locked = initiallyLocked;
        Frozen = initiallyFrozen;
    }
}
