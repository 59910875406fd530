using BindingService.Contracts;
using BindingService.Domain.Bindings;
using BindingService.Domain.Bindings.Events;

namespace BindingService.Application.Bindings;

/// <summary>Describes a binding's domain event as the integration event consumers receive.</summary>
public static class BindingIntegrationEvents
{
    public static IBindingEvent From(BindingDomainEvent domainEvent, Guid eventId)
    {
        var b = domainEvent.Binding;
        var line = BusinessLineName(b.Order.BusinessLine);
        return domainEvent switch
        {
            BindingActivated e => new BindingCreated(
                eventId, b.Id.Value, b.Order.CallerId, line, b.Order.OrderId, e.Version, e.OccurredAt,
                ProductName(b.Product), b.PoolKey, b.SubsId!, b.SecretNo!, b.PartyA.Masked, b.PartyB?.Masked, b.ExpiresAt,
                b.Extension, b.GroupId, b.RecordingEnabled, CallRestrictionName(b.CallRestriction)),
            Domain.Bindings.Events.BindingUpdated e => new Contracts.BindingUpdated(
                eventId, b.Id.Value, b.Order.CallerId, line, b.Order.OrderId, e.Version, e.OccurredAt,
                [.. e.Changes.Select(ChangeName)], ProductName(b.Product), b.SubsId!, b.SecretNo!, b.Extension, b.PartyA.Masked, b.PartyB?.Masked,
                b.ExpiresAt, b.RecordingEnabled, CallRestrictionName(b.CallRestriction), b.GroupId, b.TrackingNumber, b.CompletedAt),
            Domain.Bindings.Events.BindingReleased e => new Contracts.BindingReleased(
                eventId, b.Id.Value, b.Order.CallerId, line, b.Order.OrderId, e.Version, e.OccurredAt,
                b.SecretNo!, b.SubsId!, b.PartyA.Masked, b.PartyB?.Masked, e.Reason.ToString(), b.ExpiresAt),
            Domain.Bindings.Events.BindingExpired e => new Contracts.BindingExpired(
                eventId, b.Id.Value, b.Order.CallerId, line, b.Order.OrderId, e.Version, e.OccurredAt,
                b.SecretNo!, b.SubsId!, b.PartyA.Masked, b.PartyB?.Masked, b.ExpiresAt),
            Domain.Bindings.Events.BindingFailed e => new Contracts.BindingFailed(
                eventId, b.Id.Value, b.Order.CallerId, line, b.Order.OrderId, e.Version, e.OccurredAt,
                b.PartyA.Masked, b.PartyB?.Masked, e.Reason),
            _ => throw new ArgumentOutOfRangeException(nameof(domainEvent), domainEvent.GetType().Name, "No integration event is defined for this domain event."),
        };
    }

    public static string BusinessLineName(BusinessLine line) => line switch
    {
        BusinessLine.Ride => "ride",
        BusinessLine.Delivery => "delivery",
        _ => "generic",
    };

    public static string ProductName(BindingProduct product) => product switch
    {
        BindingProduct.Axb => "AXB",
        BindingProduct.Axn => "AXN",
        BindingProduct.AxnExtension => "AXN_EXTENSION",
        BindingProduct.Axg => "AXG",
        _ => throw new ArgumentOutOfRangeException(nameof(product), product, null),
    };

    /// <summary>none, partyACannotCall or partyBCannotCall.</summary>
    public static string CallRestrictionName(CallRestriction restriction) => restriction switch
    {
        CallRestriction.PartyACannotCall => "partyACannotCall",
        CallRestriction.PartyBCannotCall => "partyBCannotCall",
        _ => "none",
    };

    /// <summary>The camelCase name of a change, as consumers see it in BindingUpdated.Changes.</summary>
    public static string ChangeName(BindingChange change) => change switch
    {
        BindingChange.PartyB => "partyB",
        BindingChange.ExpiresAt => "expiresAt",
        BindingChange.Recording => "recording",
        BindingChange.CallRestriction => "callRestriction",
        BindingChange.GroupId => "groupId",
        BindingChange.TrackingNumber => "trackingNumber",
        BindingChange.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };
}
