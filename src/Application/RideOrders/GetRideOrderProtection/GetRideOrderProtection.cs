using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.RideOrders.GetRideOrderProtection;

/// <summary>Read a ride order's protection: the open binding if any, else the latest one.</summary>
public sealed record GetRideOrderProtection(string CallerId, string OrderId);

public sealed class GetRideOrderProtectionHandler(IBindingRepository bindings)
{
    public async Task<Result<RideProtection>> HandleAsync(GetRideOrderProtection request, CancellationToken cancellationToken)
    {
        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            return RideOrderErrors.NotFound;
        }

        var order = new OrderKey(request.CallerId, BusinessLine.Ride, request.OrderId);
        var binding = await bindings.FindOpenByOrderAsync(order, cancellationToken)
            ?? await bindings.FindLatestByOrderAsync(order, cancellationToken);
        return binding is null ? RideOrderErrors.NotFound : RideProtection.From(binding);
    }
}
