using System.Text.Json;
using BindingService.Application.Abstractions;
using BindingService.Contracts;
using BindingService.Infrastructure.Persistence;

namespace BindingService.Infrastructure.Messaging;

/// <summary>
/// The outbox port over the scope's DbContext: an event becomes an <see cref="OutboxMessage"/> row that the save in
/// progress writes in its transaction; the <see cref="OutboxDispatcher"/> publishes it after commit.
/// </summary>
internal sealed class OutboxWriter(BindingDbContext db) : IIntegrationEventOutbox
{
    public void Add(IBindingEvent integrationEvent)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var type = integrationEvent.GetType();
        db.OutboxMessages.Add(new OutboxMessage
        {
            Id = integrationEvent.EventId,
            AggregateId = integrationEvent.BindingId,
            MessageType = type.Name,
            Payload = JsonSerializer.Serialize(integrationEvent, type, BindingDbContext.PayloadJson),
            OccurredAt = integrationEvent.OccurredAt,
        });
    }
}
