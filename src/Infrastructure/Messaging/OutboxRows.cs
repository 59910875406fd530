using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BindingService.Infrastructure.Persistence;

namespace BindingService.Infrastructure.Messaging;

/// <summary>
/// Adds an event of any contract type (<see cref="OutboxEventTypes"/>) to the outbox: a row the caller's next save writes
/// in its transaction; the <see cref="OutboxDispatcher"/> publishes it after commit (wake it with
/// <see cref="OutboxSignal.Notify"/>). Rows of one aggregate leave in the order they were written.
/// </summary>
internal static class OutboxRows
{
    public static void Add<TEvent>(BindingDbContext db, TEvent message, Guid eventId, Guid aggregateId, DateTimeOffset occurredAt)
        where TEvent : notnull =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            Id = eventId,
            AggregateId = aggregateId,
            MessageType = typeof(TEvent).Name,
            Payload = JsonSerializer.Serialize(message, BindingDbContext.PayloadJson),
            OccurredAt = occurredAt,
        });

    /// <summary>A stable aggregate id for something without a Guid of its own, e.g. <c>pool:FC…</c> (the first 16 bytes of its SHA-256).</summary>
    public static Guid AggregateOfName(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));
}
