using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.RideOrders;

/// <summary>What every ride use case shares: how an order id addresses its protection, and the ride's view of the result.</summary>
internal static class RideOrders
{
    /// <summary>The order's protection; an id that cannot exist is simply not found.</summary>
    public static BindingTarget? Target(string callerId, string orderId) =>
        OrderKey.IsValidId(orderId, OrderKey.MaxOrderIdLength) ? BindingTarget.Order(new OrderKey(callerId, BusinessLine.Ride, orderId)) : null;

    /// <summary>Runs <paramref name="change"/> on the ride order's protection and answers the ride's view.</summary>
    public static async Task<Result<RideProtection>> ChangeAsync(
        BindingLifecycle lifecycle, string callerId, string orderId, LifecycleChange change, CancellationToken cancellationToken)
    {
        if (Target(callerId, orderId) is not { } target)
        {
            return BindingErrors.OrderNotFound;
        }

        var changed = await lifecycle.ChangeAsync(target, change, cancellationToken);
        return changed.Error is { } error ? error : RideProtection.From(changed.Value!);
    }

    /// <summary>A 400 naming one field.</summary>
    public static Error Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors.ToError();
    }
}
