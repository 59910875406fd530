using BindingService.Application.Abstractions;
using BindingService.Application.Bindings.ReleaseBinding;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.DeliveryOrders.CancelDeliveryOrderProtection;

/// <summary>Cancel a delivery order's protection now: unbind at the provider, then mark it Released.</summary>
public sealed record CancelDeliveryOrderProtection(string CallerId, string OrderId);

public sealed class CancelDeliveryOrderProtectionHandler(IBindingRepository bindings, BindingReleaser releaser)
{
    public async Task<Result<DeliveryProtection>> HandleAsync(CancelDeliveryOrderProtection request, CancellationToken cancellationToken)
    {
        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            return DeliveryOrderErrors.NotFound;
        }

        var order = DeliveryBindings.Order(request.CallerId, request.OrderId);
        var released = await releaser.ReleaseAsync(
            async ct => await bindings.FindOpenByOrderAsync(order, ct) ?? await bindings.FindLatestByOrderAsync(order, ct),
            cancellationToken);
        if (released.Error is { } error)
        {
            return error;
        }

        return released.Value is { } binding ? DeliveryProtection.From(binding) : DeliveryOrderErrors.NotFound;
    }
}
