using System.Globalization;

namespace BindingService.AliyunSimulator.State;

/// <summary>The state the binding, group and logistics actions add: G groups and pickup orders.</summary>
public sealed partial class SimulatorState
{
    /// <summary>At most 2000 G groups per pool (docs/provider-rules.md R-GRP-2).</summary>
    public const int MaxGroupsPerPool = 2000;

    // GroupIds are Longs like the document's 2000000000001 (R-GRP-1). Like SubsIds, never handed out twice by one
    // simulator, so they are not reset.
    private const long FirstGroupId = 2_000_000_000_001;
    private const long FirstMailNo = 773_100_000_000_001;

    private readonly Dictionary<long, AxgGroup> groups = [];
    private readonly Dictionary<string, PickUpOrder> pickUpOrders = new(StringComparer.Ordinal);
    private long lastGroupId = FirstGroupId - 1;
    private long lastMailNo = FirstMailNo - 1;

    /// <summary>Every G group, in creation order.</summary>
    public IEnumerable<AxgGroup> Groups => groups.Values.OrderBy(g => g.GroupId);

    /// <summary>Every pickup order, cancelled ones included, in creation order.</summary>
    public IEnumerable<PickUpOrder> PickUpOrders => pickUpOrders.Values.OrderBy(o => o.MailNo, StringComparer.Ordinal);

    public long NextGroupId() => ++lastGroupId;

    public string NextMailNo() => (++lastMailNo).ToString(CultureInfo.InvariantCulture);

    public void Add(AxgGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        groups.Add(group.GroupId, group);
    }

    public int GroupCount(string poolKey) => groups.Values.Count(g => string.Equals(g.PoolKey, poolKey, StringComparison.Ordinal));

    /// <summary>The group with that id in that pool, or null (a group of another pool is not found).</summary>
    public AxgGroup? FindGroup(string poolKey, long groupId) =>
        groups.TryGetValue(groupId, out var group) && string.Equals(group.PoolKey, poolKey, StringComparison.Ordinal) ? group : null;

    public PickUpOrder? FindPickUpOrder(string outerOrderCode) => pickUpOrders.GetValueOrDefault(outerOrderCode);

    /// <summary>Stores the order under its OuterOrderCode, replacing a cancelled one with the same code.</summary>
    public void Put(PickUpOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        pickUpOrders[order.OuterOrderCode] = order;
    }

    /// <summary>The bindings a tracking number was attached to (R-QRY-3), in creation order.</summary>
    public IEnumerable<Binding> BindingsWithTrackNo(string trackNo) =>
        Bindings.Where(b => b.TrackNos.Contains(trackNo, StringComparer.Ordinal));

    partial void ResetBindingExtras()
    {
        groups.Clear();
        pickUpOrders.Clear();
    }
}
