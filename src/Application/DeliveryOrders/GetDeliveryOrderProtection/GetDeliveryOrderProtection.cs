using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.DeliveryOrders.GetDeliveryOrderProtection;

/// <summary>Read a delivery order's protection: the open binding if any, else the latest one.</summary>
public sealed record GetDeliveryOrderProtection(string CallerId, string OrderId);

public sealed class GetDeliveryOrderProtectionHandler(IBindingRepository bindings)
{
    public async Task<Result<DeliveryProtection>> HandleAsync(GetDeliveryOrderProtection request, CancellationToken cancellationToken)
    {
        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            return DeliveryOrderErrors.NotFound;
        }

        var order = DeliveryBindings.Order(request.CallerId, request.OrderId);
        var binding = await bindings.FindOpenByOrderAsync(order, cancellationToken)
            ?? await bindings.FindLatestByOrderAsync(order, cancellationToken);
        return binding is null ? DeliveryOrderErrors.NotFound : DeliveryProtection.From(binding);
    }
}
