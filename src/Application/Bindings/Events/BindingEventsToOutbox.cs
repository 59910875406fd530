using BindingService.Application.Abstractions;
using BindingService.Contracts;
using BindingService.Domain.Bindings.Events;

namespace BindingService.Application.Bindings.Events;

/// <summary>
/// Every binding domain event becomes one integration event in the outbox, in the transaction that saves the change
/// (docs/decisions/0001-own-transactional-outbox.md). The event describes the binding as it was when the domain event
/// was raised (its <see cref="BindingSnapshot"/>), with masked parties only.
/// </summary>
public sealed class BindingEventsToOutbox(IIntegrationEventOutbox outbox) : IDomainEventHandler<BindingDomainEvent>
{
    public Task HandleAsync(BindingDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        outbox.Add(From(domainEvent, Guid.CreateVersion7(domainEvent.OccurredAt)));
        return Task.CompletedTask;
    }

    /// <summary>The integration event consumers receive for <paramref name="domainEvent"/>.</summary>
    public static IBindingEvent From(BindingDomainEvent domainEvent, Guid eventId)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var b = domainEvent.Binding;
        var line = WireNames.BusinessLine(b.Order.BusinessLine);
        return domainEvent switch
        {
            BindingActivated e => new BindingCreated(
                eventId, b.Id.Value, b.Order.CallerId, line, b.Order.OrderId, e.Version, e.OccurredAt,
                WireNames.Product(b.Product), b.PoolKey, b.SubsId!, b.SecretNo!, b.PartyA.Masked, b.PartyB?.Masked, b.ExpiresAt,
                b.Extension, b.GroupId, b.RecordingEnabled, WireNames.CallRestriction(b.CallRestriction)),
            Domain.Bindings.Events.BindingUpdated e => new Contracts.BindingUpdated(
                eventId, b.Id.Value, b.Order.CallerId, line, b.Order.OrderId, e.Version, e.OccurredAt,
                [.. e.Changes.Select(WireNames.Change)], WireNames.Product(b.Product), b.SubsId!, b.SecretNo!, b.Extension, b.PartyA.Masked, b.PartyB?.Masked,
                b.ExpiresAt, b.RecordingEnabled, WireNames.CallRestriction(b.CallRestriction), b.GroupId, b.TrackingNumber, b.CompletedAt),
            Domain.Bindings.Events.BindingReleased e => new Contracts.BindingReleased(
                eventId, b.Id.Value, b.Order.CallerId, line, b.Order.OrderId, e.Version, e.OccurredAt,
                b.SecretNo!, b.SubsId!, b.PartyA.Masked, b.PartyB?.Masked, WireNames.ReleaseReason(e.Reason), b.ExpiresAt),
            Domain.Bindings.Events.BindingExpired e => new Contracts.BindingExpired(
                eventId, b.Id.Value, b.Order.CallerId, line, b.Order.OrderId, e.Version, e.OccurredAt,
                b.SecretNo!, b.SubsId!, b.PartyA.Masked, b.PartyB?.Masked, b.ExpiresAt),
            Domain.Bindings.Events.BindingFailed e => new Contracts.BindingFailed(
                eventId, b.Id.Value, b.Order.CallerId, line, b.Order.OrderId, e.Version, e.OccurredAt,
                b.PartyA.Masked, b.PartyB?.Masked, e.Reason),
            _ => throw new ArgumentOutOfRangeException(nameof(domainEvent), domainEvent.GetType().Name, "No integration event is defined for this domain event."),
        };
    }
}
