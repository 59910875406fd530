namespace BindingService.AliyunSimulator.State;

/// <summary>A G number group of an AXG pool (docs/provider-rules.md R-GRP-1). Mutable state, only touched under the store's lock.</summary>
public sealed class AxgGroup
{
    public required long GroupId { get; init; }

    public required string PoolKey { get; init; }

    public required string Name { get; init; }

    public string? Remark { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The member numbers, without repeats, in the order they were added.</summary>
    public List<string> Numbers { get; } = [];

    /// <summary>Adds the numbers not yet in the group, keeping their order.</summary>
    public void AddNumbers(IEnumerable<string> numbers)
    {
        foreach (var number in numbers)
        {
            if (!Numbers.Contains(number, StringComparer.Ordinal))
            {
                Numbers.Add(number);
            }
        }
    }

    public AxgGroupSnapshot Snapshot() => new(GroupId, PoolKey, Name, Remark, CreatedAt, [.. Numbers]);
}

/// <summary>An immutable copy of an <see cref="AxgGroup"/>.</summary>
public sealed record AxgGroupSnapshot(long GroupId, string PoolKey, string Name, string? Remark, DateTimeOffset CreatedAt, IReadOnlyList<string> Numbers);

/// <summary>A door-to-door pickup order (R-LOG-2, R-LOG-3), kept by its <c>OuterOrderCode</c>.</summary>
public sealed record PickUpOrder(
    string OuterOrderCode,
    string OrderChannels,
    string CpCode,
    string MailNo,
    string GotCode,
    int BizType,
    DateTimeOffset? AppointGotStartTime,
    DateTimeOffset? AppointGotEndTime,
    string SendName,
    string? SendMobile,
    string? SendPhone,
    string SendAddress,
    string ConsigneeName,
    string? ConsigneeMobile,
    string? ConsigneePhone,
    string ConsigneeAddress,
    string? GoodsInfos,
    string? Remark,
    DateTimeOffset CreatedAt)
{
    /// <summary>Null while the order stands; the reason given once cancelled.</summary>
    public string? CancelDesc { get; init; }

    public DateTimeOffset? CancelledAt { get; init; }

    public bool IsCancelled => CancelledAt is not null;
}
