using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.RideOrders.GetRideOrderProtection;

/// <summary>
/// Read a ride order's protection: the open binding if any, else the latest one. An Active binding past its expiry
/// that no sweeper has ended yet is ended here first (BindingExpired), so a read never shows a dead binding as active.
/// </summary>
public sealed record GetRideOrderProtection(string CallerId, string OrderId);

public sealed class GetRideOrderProtectionHandler(IBindingRepository bindings, TimeProvider clock)
{
    public async Task<Result<RideProtection>> HandleAsync(GetRideOrderProtection request, CancellationToken cancellationToken)
    {
        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            return RideOrderErrors.NotFound;
        }

        var order = new OrderKey(request.CallerId, BusinessLine.Ride, request.OrderId);
        var binding = await FindAsync(order, cancellationToken);
        if (binding is not null && await RideExpiry.EndIfDueAsync(binding, bindings, clock, cancellationToken))
        {
            binding = await FindAsync(order, cancellationToken);
        }

        return binding is null ? RideOrderErrors.NotFound : RideProtection.From(binding);
    }

    private async Task<Binding?> FindAsync(OrderKey order, CancellationToken cancellationToken) =>
        await bindings.FindOpenByOrderAsync(order, cancellationToken)
        ?? await bindings.FindLatestByOrderAsync(order, cancellationToken);
}
