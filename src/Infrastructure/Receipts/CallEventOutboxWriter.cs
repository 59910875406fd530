using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BindingService.Application.Calls;
using BindingService.Contracts;
using BindingService.Infrastructure.Persistence;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// Call and number events into the same outbox as binding events (an <see cref="OutboxMessage"/> per event, written by
/// the save in progress). The outbox orders rows per aggregate: here the aggregate is the call (or the X number), a
/// stable id derived from it, so one call's events leave in the order they were written.
/// </summary>
internal sealed class CallEventOutboxWriter(BindingDbContext db) : ICallEventOutbox
{
    public void Add(ICallEvent callEvent)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        Write(callEvent, callEvent.GetType(), callEvent.EventId, AggregateOf("call:" + callEvent.CallId), callEvent.OccurredAt);
    }

    public void Add(VirtualNumberHealthChanged healthChanged)
    {
        ArgumentNullException.ThrowIfNull(healthChanged);
        Write(healthChanged, typeof(VirtualNumberHealthChanged), healthChanged.EventId, AggregateOf("x:" + healthChanged.SecretNo), healthChanged.OccurredAt);
    }

    /// <summary>A stable id for an aggregate that has no Guid of its own (name-based, SHA-256, version bits set).</summary>
    internal static Guid AggregateOf(string name)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private void Write(object message, Type type, Guid eventId, Guid aggregateId, DateTimeOffset occurredAt) =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            Id = eventId,
            AggregateId = aggregateId,
            MessageType = type.Name,
            Payload = JsonSerializer.Serialize(message, type, BindingDbContext.PayloadJson),
            OccurredAt = occurredAt,
        });
}
