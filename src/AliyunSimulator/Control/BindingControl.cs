using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Control;

/// <summary>Test-only views of the group and logistics state: <c>GET /_sim/groups</c> and <c>GET /_sim/waybills</c>.</summary>
public static class BindingControl
{
    public static RouteGroupBuilder MapBindingControl(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/groups", ListGroups);
        group.MapGet("/waybills", ListWaybills);
        return group;
    }

    /// <summary>Every G group with its members, in creation order.</summary>
    public static IResult ListGroups(SimulatorStore store, ChinaClock clock) =>
        TypedResults.Ok(store.Transact(s => s.Groups.Select(g => g.Snapshot()).ToList()).Select(g => GroupView.From(g, clock)).ToList());

    /// <summary>Every pickup order, cancelled ones included, in creation order.</summary>
    public static IResult ListWaybills(SimulatorStore store, ChinaClock clock) =>
        TypedResults.Ok(store.Transact(s => s.PickUpOrders.ToList()).Select(o => WaybillView.From(o, clock)).ToList());
}

/// <summary>A G group as <c>GET /_sim/groups</c> shows it.</summary>
public sealed record GroupView(long GroupId, string PoolKey, string Name, string? Remark, DateTimeOffset CreatedAt, IReadOnlyList<string> Numbers)
{
    public static GroupView From(AxgGroupSnapshot g, ChinaClock clock)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(clock);
        return new(g.GroupId, g.PoolKey, g.Name, g.Remark, clock.ToChina(g.CreatedAt), g.Numbers);
    }
}

/// <summary>A pickup order as <c>GET /_sim/waybills</c> shows it; the addresses and goods are the JSON text received.</summary>
public sealed record WaybillView(
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
    DateTimeOffset CreatedAt,
    bool Cancelled,
    string? CancelDesc,
    DateTimeOffset? CancelledAt)
{
    public static WaybillView From(PickUpOrder o, ChinaClock clock)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(clock);
        return new(
            o.OuterOrderCode, o.OrderChannels, o.CpCode, o.MailNo, o.GotCode, o.BizType, ToChina(o.AppointGotStartTime, clock), ToChina(o.AppointGotEndTime, clock),
            o.SendName, o.SendMobile, o.SendPhone, o.SendAddress, o.ConsigneeName, o.ConsigneeMobile, o.ConsigneePhone, o.ConsigneeAddress,
            o.GoodsInfos, o.Remark, clock.ToChina(o.CreatedAt), o.IsCancelled, o.CancelDesc, ToChina(o.CancelledAt, clock));
    }

    private static DateTimeOffset? ToChina(DateTimeOffset? instant, ChinaClock clock) => instant is { } i ? clock.ToChina(i) : null;
}
