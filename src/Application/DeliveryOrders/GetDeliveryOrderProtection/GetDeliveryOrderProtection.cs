using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Application.DeliveryOrders.GetDeliveryOrderProtection;

/// <summary>Read a delivery order's protection: the open binding if any, else the latest one (one past its expiry is ended first).</summary>
public sealed record GetDeliveryOrderProtection(string CallerId, string OrderId);

public sealed class GetDeliveryOrderProtectionHandler(BindingLifecycle lifecycle)
{
    public async Task<Result<DeliveryProtection>> HandleAsync(GetDeliveryOrderProtection request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DeliveryOrders.Target(request.CallerId, request.OrderId) is { } target
            ? DeliveryOrders.View(await lifecycle.ReadAsync(target, cancellationToken))
            : BindingErrors.OrderNotFound;
    }
}
