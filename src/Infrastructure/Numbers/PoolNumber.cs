namespace BindingService.Infrastructure.Numbers;

/// <summary>
/// One X of a pool in local mode: its city, whether it may be chosen, and how many open AXB pairs it carries.
/// Written with SQL by <see cref="NumberInventory"/> and <see cref="LocalNumberSelector"/>; mapped so the schema lives
/// in the migrations. X is not personal data (it is what callers dial).
/// </summary>
public sealed class PoolNumber
{
    public string PoolKey { get; set; } = string.Empty;

    public string SecretNo { get; set; } = string.Empty;

    /// <summary>Home city as the provider reports it; empty when unknown.</summary>
    public string City { get; set; } = string.Empty;

    public PoolNumberState State { get; set; } = PoolNumberState.Available;

    /// <summary>Open (Pending or Active) bindings holding a reservation on this X.</summary>
    public int ActivePairs { get; set; }

    public DateTimeOffset? SyncedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Only <see cref="Available"/> numbers are ever chosen.</summary>
public enum PoolNumberState
{
    Available,

    /// <summary>LockSecretNo at the provider (SecretStatus 2, docs/provider-rules.md R-NUM-6).</summary>
    Locked,

    /// <summary>Frozen by the provider (SecretStatus 3).</summary>
    Frozen,

    /// <summary>The provider does not know it in this pool, or reports an unknown status.</summary>
    Unhealthy,
}

/// <summary>
/// One party of one open binding on X (invariant 1): the unique index on (X, party hash) refuses a second open
/// binding of the same party on the same X, whatever the code does.
/// </summary>
public sealed class NumberReservation
{
    public Guid BindingId { get; set; }

    /// <summary>'A' or 'B'.</summary>
    public char PartyRole { get; set; }

    public string PoolKey { get; set; } = string.Empty;

    public string SecretNo { get; set; } = string.Empty;

    /// <summary>PhoneNumberProtector.Hash of the party: never the number.</summary>
    public byte[] PartyHash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The X a party last got in a pool (sticky selection).</summary>
public sealed class PartyLastNumber
{
    public string PoolKey { get; set; } = string.Empty;

    public byte[] PartyHash { get; set; } = [];

    public string SecretNo { get; set; } = string.Empty;

    public DateTimeOffset UsedAt { get; set; }
}
