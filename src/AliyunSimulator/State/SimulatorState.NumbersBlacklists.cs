namespace BindingService.AliyunSimulator.State;

/// <summary>
/// The blacklists (docs/provider-rules.md, 'Blacklists'): a pool's blacklist numbers (OperateBlackNo, R-BLK-1), and the entries of
/// AddSecretBlacklist: point-to-point pairs with their direction (R-BLK-2) and pool-global numbers.
/// </summary>
public sealed partial class SimulatorState
{
    private readonly Dictionary<string, HashSet<string>> poolBlackNumbers = new(StringComparer.Ordinal);
    private readonly List<BlacklistEntry> blacklist = [];

    /// <summary>Every AddSecretBlacklist entry, in the order added.</summary>
    public IReadOnlyList<BlacklistEntry> Blacklist => blacklist;

    /// <summary>The numbers OperateBlackNo put on a pool's blacklist.</summary>
    public IReadOnlyCollection<string> PoolBlackNumbers(string poolKey) =>
        poolBlackNumbers.TryGetValue(poolKey, out var set) ? set : [];

    /// <summary>OperateBlackNo AddBlack. Adding a number twice keeps one entry.</summary>
    public void AddPoolBlackNumber(string poolKey, string number)
    {
        if (!poolBlackNumbers.TryGetValue(poolKey, out var set))
        {
            poolBlackNumbers[poolKey] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.Add(number);
    }

    /// <summary>OperateBlackNo DeleteBlack. False when the number was not on the pool's blacklist.</summary>
    public bool RemovePoolBlackNumber(string poolKey, string number) =>
        poolBlackNumbers.TryGetValue(poolKey, out var set) && set.Remove(number);

    /// <summary>AddSecretBlacklist. An identical entry (pool, type, numbers and direction) is kept once.</summary>
    public void AddBlacklistEntry(BlacklistEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!blacklist.Contains(entry))
        {
            blacklist.Add(entry);
        }
    }

    /// <summary>
    /// DeleteSecretBlacklist (R-BLK-3): removes the entries of the pool with this type and numbers and, when
    /// <paramref name="wayControl"/> is given, that direction. Returns how many were removed.
    /// </summary>
    public int RemoveBlacklistEntries(string poolKey, BlackType type, string first, string? second, string? wayControl) =>
        blacklist.RemoveAll(e =>
            string.Equals(e.PoolKey, poolKey, StringComparison.Ordinal)
            && e.Type == type
            && string.Equals(e.First, first, StringComparison.Ordinal)
            && string.Equals(e.Second, second, StringComparison.Ordinal)
            && (wayControl is null || string.Equals(e.WayControl, wayControl, StringComparison.Ordinal)));

    /// <summary>
    /// Whether a call from <paramref name="caller"/> to <paramref name="callee"/> through the pool's X numbers is
    /// refused by a blacklist, as the call simulation (<c>POST /_sim/calls/simulate</c>) asks it:
    /// <list type="bullet">
    /// <item>the caller is on the pool's OperateBlackNo blacklist (R-BLK-1: calls from it are rejected);</item>
    /// <item>either party is a pool-global number (<c>PARTNER_GLOBAL_NUMBER_BLACK</c>);</item>
    /// <item>a point-to-point entry <c>first:second</c> forbids this direction (R-BLK-2): <c>PHONEA_REJECT</c> blocks
    /// second → first, <c>PHONEB_REJECT</c> blocks first → second, no WayControl blocks both.</item>
    /// </list>
    /// </summary>
    public bool IsCallBlocked(string poolKey, string caller, string callee)
    {
        if (poolBlackNumbers.TryGetValue(poolKey, out var set) && set.Contains(caller))
        {
            return true;
        }

        return blacklist.Where(e => string.Equals(e.PoolKey, poolKey, StringComparison.Ordinal)).Any(e => e.Blocks(caller, callee));
    }

    private void ResetBlacklists()
    {
        poolBlackNumbers.Clear();
        blacklist.Clear();
    }
}

/// <summary>The two <c>BlackType</c> values of AddSecretBlacklist/DeleteSecretBlacklist.</summary>
public enum BlackType
{
    /// <summary><c>POINT_TO_POINT_BLACK</c>: a pair of numbers, with a direction.</summary>
    PointToPoint,

    /// <summary><c>PARTNER_GLOBAL_NUMBER_BLACK</c>: one number, for the whole pool.</summary>
    PartnerGlobal,
}

/// <summary>
/// One AddSecretBlacklist entry. <see cref="Second"/> and <see cref="WayControl"/> are null for a pool-global
/// number; <see cref="WayControl"/> is <c>PHONEA_REJECT</c>, <c>PHONEB_REJECT</c> or null (both directions).
/// </summary>
public sealed record BlacklistEntry(string PoolKey, BlackType Type, string First, string? Second, string? WayControl, string? Remark)
{
    public const string PhoneARejects = "PHONEA_REJECT";
    public const string PhoneBRejects = "PHONEB_REJECT";

    public bool Blocks(string caller, string callee)
    {
        if (Type == BlackType.PartnerGlobal)
        {
            return string.Equals(First, caller, StringComparison.Ordinal) || string.Equals(First, callee, StringComparison.Ordinal);
        }

        var firstCallsSecond = string.Equals(First, caller, StringComparison.Ordinal) && string.Equals(Second, callee, StringComparison.Ordinal);
        var secondCallsFirst = string.Equals(Second, caller, StringComparison.Ordinal) && string.Equals(First, callee, StringComparison.Ordinal);
        return WayControl switch
        {
            PhoneARejects => secondCallsFirst,
            PhoneBRejects => firstCallsSecond,
            _ => firstCallsSecond || secondCallsFirst,
        };
    }

    /// <summary>Entries are the same whatever their remark.</summary>
    public bool Equals(BlacklistEntry? other) =>
        other is not null
        && string.Equals(PoolKey, other.PoolKey, StringComparison.Ordinal)
        && Type == other.Type
        && string.Equals(First, other.First, StringComparison.Ordinal)
        && string.Equals(Second, other.Second, StringComparison.Ordinal)
        && string.Equals(WayControl, other.WayControl, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(PoolKey, Type, First, Second, WayControl);
}
