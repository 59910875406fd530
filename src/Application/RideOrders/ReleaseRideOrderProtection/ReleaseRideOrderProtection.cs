using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Application.RideOrders.ReleaseRideOrderProtection;

/// <summary>Cancel a ride order's protection now: unbind at the provider, then mark it Released. Idempotent.</summary>
public sealed record ReleaseRideOrderProtection(string CallerId, string OrderId);

public sealed class ReleaseRideOrderProtectionHandler(BindingLifecycle lifecycle)
{
    public async Task<Result<RideProtection>> HandleAsync(ReleaseRideOrderProtection request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RideOrders.Target(request.CallerId, request.OrderId) is not { } target)
        {
            return BindingErrors.OrderNotFound;
        }

        var released = await lifecycle.ReleaseAsync(target, cancellationToken);
        return released.Error is { } error ? error : RideProtection.From(released.Value!);
    }
}
