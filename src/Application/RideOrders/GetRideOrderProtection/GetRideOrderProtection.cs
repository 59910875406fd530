using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Application.RideOrders.GetRideOrderProtection;

/// <summary>
/// Read a ride order's protection: the open binding if any, else the latest one. One past its expiry that no sweeper
/// has ended yet is ended first (BindingExpired), so a read never shows a dead binding as active.
/// </summary>
public sealed record GetRideOrderProtection(string CallerId, string OrderId);

public sealed class GetRideOrderProtectionHandler(BindingLifecycle lifecycle)
{
    public async Task<Result<RideProtection>> HandleAsync(GetRideOrderProtection request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RideOrders.Target(request.CallerId, request.OrderId) is not { } target)
        {
            return BindingErrors.OrderNotFound;
        }

        var binding = await lifecycle.ReadAsync(target, cancellationToken);
        return binding.Error is { } error ? error : RideProtection.From(binding.Value!);
    }
}
