using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.DeliveryOrders;

/// <summary>What every delivery use case shares: how an order id addresses its protection, and the delivery's view of a result.</summary>
internal static class DeliveryOrders
{
    public static OrderKey Order(string callerId, string orderId) => new(callerId, BusinessLine.Delivery, orderId);

    /// <summary>The order's protection; an id that cannot exist is simply not found.</summary>
    public static BindingTarget? Target(string callerId, string orderId) =>
        OrderKey.IsValidId(orderId, OrderKey.MaxOrderIdLength) ? BindingTarget.Order(Order(callerId, orderId)) : null;

    /// <summary>The delivery's view of a lifecycle result.</summary>
    public static Result<DeliveryProtection> View(Result<Binding> result) =>
        result.Error is { } error ? error : DeliveryProtection.From(result.Value!);
}
