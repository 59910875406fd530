using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Application.RideOrders.ReleaseRideOrderProtection;

/// <summary>Cancel a ride order's protection now: unbind at the provider, then mark it Released.</summary>
public sealed record ReleaseRideOrderProtection(string CallerId, string OrderId);

public sealed partial class ReleaseRideOrderProtectionHandler(
    IBindingRepository bindings,
    IPrivacyNumberProvider provider,
    IOptions<ProtectionOptions> options,
    TimeProvider clock,
    ILogger<ReleaseRideOrderProtectionHandler> logger)
{
    public async Task<Result<RideProtection>> HandleAsync(ReleaseRideOrderProtection request, CancellationToken cancellationToken)
    {
        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            return RideOrderErrors.NotFound;
        }

        var order = new OrderKey(request.CallerId, BusinessLine.Ride, request.OrderId);
        var deadline = clock.GetUtcNow() + options.Value.PendingWaitTimeout;
        while (true)
        {
            var open = await bindings.FindOpenByOrderAsync(order, cancellationToken);
            if (open is null)
            {
                // Already ended (or never protected): releasing is idempotent.
                var latest = await bindings.FindLatestByOrderAsync(order, cancellationToken);
                return latest is null ? RideOrderErrors.NotFound : RideProtection.From(latest);
            }

            if (open.Status == BindingStatus.Pending)
            {
                if (clock.GetUtcNow() >= deadline)
                {
                    return Error.Unavailable("binding.pending", "The protection is still being set up. Retry shortly.", TimeSpan.FromSeconds(2));
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
                continue;
            }

            var unbound = await provider.UnbindSubscriptionAsync(new SubscriptionRef(open.PoolKey, open.SubsId!, open.SecretNo!), cancellationToken);
            if (unbound.Error is { } error && error.Kind != ProviderErrorKind.SubscriptionNotFound)
            {
                LogUnbindFailed(logger, open.Id, request.OrderId, error.Kind, error.Code);
                return ProviderErrors.ToError(error, open.PoolKey, open.ExpectCity);
            }

            // SubscriptionNotFound: the provider has no such binding any more (already unbound or expired there).
            open.Release(ReleaseReason.Cancelled, clock.GetUtcNow());
            if (await bindings.TrySaveAsync(open, cancellationToken))
            {
                LogReleased(logger, open.Id, request.OrderId);
                return RideProtection.From(open);
            }

            // A concurrent release won; loop to report the state it left.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released binding {BindingId} of ride order {OrderId}")]
    private static partial void LogReleased(ILogger logger, BindingId bindingId, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unbind binding {BindingId} of ride order {OrderId}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogUnbindFailed(ILogger logger, BindingId bindingId, string orderId, ProviderErrorKind errorKind, string providerCode);
}
