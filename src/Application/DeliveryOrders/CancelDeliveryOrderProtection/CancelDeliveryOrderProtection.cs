using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Application.DeliveryOrders.CancelDeliveryOrderProtection;

/// <summary>Cancel a delivery order's protection now: unbind at the provider, then mark it Released.</summary>
public sealed record CancelDeliveryOrderProtection(string CallerId, string OrderId);

public sealed partial class CancelDeliveryOrderProtectionHandler(
    IBindingRepository bindings,
    IPrivacyNumberProvider provider,
    IOptions<ProtectionOptions> options,
    TimeProvider clock,
    ILogger<CancelDeliveryOrderProtectionHandler> logger)
{
    public async Task<Result<DeliveryProtection>> HandleAsync(CancelDeliveryOrderProtection request, CancellationToken cancellationToken)
    {
        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            return DeliveryOrderErrors.NotFound;
        }

        var order = DeliveryBindings.Order(request.CallerId, request.OrderId);
        var deadline = clock.GetUtcNow() + options.Value.PendingWaitTimeout;
        while (true)
        {
            var open = await bindings.FindOpenByOrderAsync(order, cancellationToken);
            if (open is null)
            {
                // Already ended (or never protected): cancelling is idempotent.
                var latest = await bindings.FindLatestByOrderAsync(order, cancellationToken);
                return latest is null ? DeliveryOrderErrors.NotFound : DeliveryProtection.From(latest);
            }

            if (open.Status == BindingStatus.Pending)
            {
                if (clock.GetUtcNow() >= deadline)
                {
                    return DeliveryOrderErrors.Pending;
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
                LogCancelled(logger, open.Id, request.OrderId);
                return DeliveryProtection.From(open);
            }

            // A concurrent change won; loop to act on (or report) the state it left.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released binding {BindingId} of delivery order {OrderId}")]
    private static partial void LogCancelled(ILogger logger, BindingId bindingId, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unbind binding {BindingId} of delivery order {OrderId}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogUnbindFailed(ILogger logger, BindingId bindingId, string orderId, ProviderErrorKind errorKind, string providerCode);
}
