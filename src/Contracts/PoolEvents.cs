namespace BindingService.Contracts;

// Pool events: a local pool's free capacity crossing the configured threshold (docs/events.md, "Pool events").
// Published on RabbitMQ like the binding events; the namespace is part of the wire contract: never move these types.
// They carry no personal data. Times are UTC.

/// <summary>
/// Every pool event. A queue bound to the exchange "BindingService.Contracts:IPoolEvent" receives all of them; each
/// concrete type also has its own exchange. Edge-triggered: one event per crossing, whatever the number of replicas.
/// </summary>
public interface IPoolEvent
{
    /// <summary>Stable per event; also the message's MessageId. Use it to de-duplicate (delivery is at-least-once).</summary>
    Guid EventId { get; }

    string PoolKey { get; }

    /// <summary>Pairs the pool could still carry on its selectable numbers when the crossing was seen.</summary>
    long FreePairs { get; }

    /// <summary>The threshold in force (Operators:Capacity:LowFreePairs).</summary>
    int Threshold { get; }

    DateTimeOffset OccurredAt { get; }

    /// <summary>The shape of the event (<see cref="PoolEventSchema.Version"/>).</summary>
    int SchemaVersion { get; }
}

/// <summary>The version of the pool events' shape, sent as <c>schemaVersion</c>.</summary>
public static class PoolEventSchema
{
    public const int Version = 1;
}

/// <summary>The pool's free capacity dropped below the threshold: buy or unlock numbers before it runs out.</summary>
public sealed record PoolCapacityLow(Guid EventId, string PoolKey, long FreePairs, int Threshold, DateTimeOffset OccurredAt) : IPoolEvent
{
    public int SchemaVersion => PoolEventSchema.Version;
}

/// <summary>The pool's free capacity is back at or above the threshold after a <see cref="PoolCapacityLow"/>.</summary>
public sealed record PoolCapacityRestored(Guid EventId, string PoolKey, long FreePairs, int Threshold, DateTimeOffset OccurredAt) : IPoolEvent
{
    public int SchemaVersion => PoolEventSchema.Version;
}
