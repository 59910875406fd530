using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Application.DeliveryOrders.CancelDeliveryOrderProtection;

/// <summary>Cancel a delivery order's protection now: unbind at the provider, then mark it Released. Idempotent.</summary>
public sealed record CancelDeliveryOrderProtection(string CallerId, string OrderId);

public sealed class CancelDeliveryOrderProtectionHandler(BindingLifecycle lifecycle)
{
    public async Task<Result<DeliveryProtection>> HandleAsync(CancelDeliveryOrderProtection request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DeliveryOrders.Target(request.CallerId, request.OrderId) is { } target
            ? DeliveryOrders.View(await lifecycle.ReleaseAsync(target, cancellationToken))
            : BindingErrors.OrderNotFound;
    }
}
