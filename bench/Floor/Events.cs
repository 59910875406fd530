namespace BindingService.Bench.Floor;

// Four families with an interface each, five, six, three and two events in them, as the API's contracts
// (src/Contracts: binding, call, pool and pick-up waybill events).
public interface IFloorBindingEvent
{
    Guid BindingId { get; }
}

public interface IFloorCallEvent
{
    Guid BindingId { get; }
}

public interface IFloorPoolEvent
{
    Guid BindingId { get; }
}

public interface IFloorWaybillEvent
{
    Guid BindingId { get; }
}

public sealed record FloorEvent01(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorBindingEvent;

public sealed record FloorEvent02(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorBindingEvent;

public sealed record FloorEvent03(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorBindingEvent;

public sealed record FloorEvent04(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorBindingEvent;

public sealed record FloorEvent05(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorBindingEvent;

public sealed record FloorEvent06(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorCallEvent;

public sealed record FloorEvent07(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorCallEvent;

public sealed record FloorEvent08(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorCallEvent;

public sealed record FloorEvent09(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorCallEvent;

public sealed record FloorEvent10(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorCallEvent;

public sealed record FloorEvent11(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorCallEvent;

public sealed record FloorEvent12(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorPoolEvent;

public sealed record FloorEvent13(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorPoolEvent;

public sealed record FloorEvent14(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorPoolEvent;

public sealed record FloorEvent15(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorWaybillEvent;

public sealed record FloorEvent16(Guid BindingId, string OrderId, string VirtualNumber, DateTimeOffset OccurredAt) : IFloorWaybillEvent;

/// <summary>The sixteen event types, as many as the API publishes (src/Infrastructure/Messaging/OutboxEventTypes.cs).</summary>
internal static class FloorEvents
{
    public static readonly Type[] All =
    [
        typeof(FloorEvent01),
        typeof(FloorEvent02),
        typeof(FloorEvent03),
        typeof(FloorEvent04),
        typeof(FloorEvent05),
        typeof(FloorEvent06),
        typeof(FloorEvent07),
        typeof(FloorEvent08),
        typeof(FloorEvent09),
        typeof(FloorEvent10),
        typeof(FloorEvent11),
        typeof(FloorEvent12),
        typeof(FloorEvent13),
        typeof(FloorEvent14),
        typeof(FloorEvent15),
        typeof(FloorEvent16),
    ];
}
