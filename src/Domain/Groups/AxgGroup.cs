using BindingService.Domain.Common;

namespace BindingService.Domain.Groups;

/// <summary>
/// A G number group of an AXG pool: its members calling the X of an AXG binding reach A (docs/provider-rules.md, 'Actions').
/// The provider keeps the group; we keep what we told it (members encrypted at rest, invariant 5), so callers can
/// read it and AXG bindings can refer to it by our id. At most <see cref="MaxMembers"/> members.
/// </summary>
public sealed class AxgGroup
{
    /// <summary>The provider's limit per call, which is also what an overwrite may replace (B.3); we cap the group at it.</summary>
    public const int MaxMembers = 200;

    public const int MaxNameLength = 128;

    public const int MaxRemarkLength = 256;

    private readonly List<AxgGroupMember> _members = [];

    private AxgGroup()
    {
        // For EF Core materialisation.
        CallerId = null!;
        PoolKey = null!;
    }

    private AxgGroup(AxgGroupId id, string callerId, string poolKey, long providerGroupId, string? name, string? remark, IEnumerable<PhoneNumber> members, DateTimeOffset now)
    {
        Id = id;
        CallerId = callerId;
        PoolKey = poolKey;
        ProviderGroupId = providerGroupId;
        Name = name;
        Remark = remark;
        _members.AddRange(members.Distinct().Select(m => new AxgGroupMember(m)));
        CreatedAt = Stored(now);
        UpdatedAt = CreatedAt;
    }

    public AxgGroupId Id { get; private set; }

    public string CallerId { get; private set; }

    /// <summary>The AXG pool the group belongs to (a group of another pool is unknown there).</summary>
    public string PoolKey { get; private set; }

    /// <summary>The provider's GroupId (CreateAxgGroup), sent in BindAxg and updateAxgGroup.</summary>
    public long ProviderGroupId { get; private set; }

    public string? Name { get; private set; }

    public string? Remark { get; private set; }

    public IReadOnlyList<AxgGroupMember> Members => _members;

    /// <summary>Stored so lists can show it without decrypting members.</summary>
    public int MemberCount { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency token.</summary>
    public int Version { get; private set; }

    /// <summary>Records a group the provider has just created with these members.</summary>
    public static AxgGroup Created(AxgGroupId id, string callerId, string poolKey, long providerGroupId, string? name, string? remark, IReadOnlyCollection<PhoneNumber> members, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(poolKey);
        ArgumentNullException.ThrowIfNull(members);
        EnsureWithinLimit(members.Distinct().Count());
        var group = new AxgGroup(id, callerId, poolKey, providerGroupId, name, remark, members, now);
        group.MemberCount = group._members.Count;
        return group;
    }

    /// <summary>True when <paramref name="number"/> is a member.</summary>
    public bool Contains(PhoneNumber number) => _members.Any(m => m.Number == number);

    /// <summary>How many members there would be after adding <paramref name="numbers"/>.</summary>
    public int CountAfterAdding(IEnumerable<PhoneNumber> numbers) => _members.Count + numbers.Distinct().Count(n => !Contains(n));

    /// <summary>Adds members (already members are ignored). False when nothing changes.</summary>
    public bool AddMembers(IReadOnlyCollection<PhoneNumber> numbers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var added = numbers.Distinct().Where(n => !Contains(n)).ToList();
        if (added.Count == 0)
        {
            return false;
        }

        EnsureWithinLimit(_members.Count + added.Count);
        _members.AddRange(added.Select(n => new AxgGroupMember(n)));
        return Touch(now);
    }

    /// <summary>Removes members (non-members are ignored, as the provider does). False when nothing changes.</summary>
    public bool RemoveMembers(IReadOnlyCollection<PhoneNumber> numbers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var removed = _members.RemoveAll(m => numbers.Contains(m.Number));
        return removed > 0 && Touch(now);
    }

    /// <summary>The members are now exactly <paramref name="numbers"/>. False when they already are.</summary>
    public bool ReplaceMembers(IReadOnlyCollection<PhoneNumber> numbers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var wanted = numbers.Distinct().ToList();
        EnsureWithinLimit(wanted.Count);
        if (wanted.Count == _members.Count && wanted.All(Contains))
        {
            return false;
        }

        _members.RemoveAll(m => !wanted.Contains(m.Number));
        _members.AddRange(wanted.Where(n => !Contains(n)).Select(n => new AxgGroupMember(n)));
        return Touch(now);
    }

    private static void EnsureWithinLimit(int count)
    {
        if (count > MaxMembers)
        {
            throw new DomainException("group.too_many_members", $"A G group holds at most {MaxMembers} numbers.");
        }
    }

    private bool Touch(DateTimeOffset now)
    {
        MemberCount = _members.Count;
        UpdatedAt = Stored(now);
        Version++;
        return true;
    }

    private static DateTimeOffset Stored(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }
}

/// <summary>One number of a G group. Never shown in clear outside the provider adapter.</summary>
public sealed class AxgGroupMember
{
    private AxgGroupMember()
    {
        // For EF Core materialisation.
        Number = null!;
    }

    public AxgGroupMember(PhoneNumber number)
    {
        ArgumentNullException.ThrowIfNull(number);
        Number = number;
    }

    public PhoneNumber Number { get; private set; }
}
