using BindingService.Application.Abstractions;
using BindingService.Application.Bindings.ReleaseBinding;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.RideOrders.ReleaseRideOrderProtection;

/// <summary>Cancel a ride order's protection now: unbind at the provider, then mark it Released.</summary>
public sealed record ReleaseRideOrderProtection(string CallerId, string OrderId);

public sealed class ReleaseRideOrderProtectionHandler(IBindingRepository bindings, BindingReleaser releaser)
{
    public async Task<Result<RideProtection>> HandleAsync(ReleaseRideOrderProtection request, CancellationToken cancellationToken)
    {
        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            return RideOrderErrors.NotFound;
        }

        var order = new OrderKey(request.CallerId, BusinessLine.Ride, request.OrderId);
        var released = await releaser.ReleaseAsync(
            async ct => await bindings.FindOpenByOrderAsync(order, ct) ?? await bindings.FindLatestByOrderAsync(order, ct),
            cancellationToken);
        if (released.Error is { } error)
        {
            return error;
        }

        return released.Value is { } binding ? RideProtection.From(binding) : RideOrderErrors.NotFound;
    }
}
