using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using Microsoft.Extensions.Logging;

namespace BindingService.Application.DeliveryOrders.AttachDeliveryTrackingNumber;

/// <summary>Attach the waybill's tracking number to an AXN-extension delivery (AddAxnTrackNo), so it can be looked up.</summary>
public sealed record AttachDeliveryTrackingNumber(string CallerId, string OrderId, string? TrackingNumber);

public sealed partial class AttachDeliveryTrackingNumberHandler(
    DeliveryBindings deliveries,
    IBindingRepository bindings,
    IPrivacyNumberProvider provider,
    TimeProvider clock,
    ILogger<AttachDeliveryTrackingNumberHandler> logger)
{
    public async Task<Result<DeliveryProtection>> HandleAsync(AttachDeliveryTrackingNumber request, CancellationToken cancellationToken)
    {
        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            return DeliveryOrderErrors.NotFound;
        }

        if (!DeliveryValidation.IsValidTrackingNumber(request.TrackingNumber))
        {
            return DeliveryValidation.InvalidTrackingNumber();
        }

        var trackingNumber = request.TrackingNumber!;
        var order = DeliveryBindings.Order(request.CallerId, request.OrderId);
        while (true)
        {
            // Before loading the binding to change: every Find starts a fresh unit of work (and detaches what was loaded).
            var holder = await bindings.FindOpenByTrackingNumberAsync(request.CallerId, trackingNumber, cancellationToken);
            if (holder is not null && holder.Order != order)
            {
                return DeliveryOrderErrors.TrackingNumberInUse;
            }

            var loaded = await deliveries.ActiveAsync(order, cancellationToken);
            if (loaded.Error is { } notChangeable)
            {
                return notChangeable;
            }

            var binding = loaded.Value!;
            if (binding.Product != BindingProduct.AxnExtension)
            {
                return DeliveryOrderErrors.TrackingNumberNotSupported;
            }

            if (binding.TrackingNumber == trackingNumber)
            {
                return DeliveryProtection.From(binding); // already attached: idempotent, nothing sent
            }

            if (binding.TrackingNumber is not null)
            {
                return DeliveryOrderErrors.OtherTrackingNumber;
            }

            var attached = await provider.AttachTrackingNumberAsync(
                new SubscriptionRef(binding.PoolKey, binding.SubsId!, binding.SecretNo!), trackingNumber, cancellationToken);
            if (attached.Error is { } error)
            {
                LogAttachFailed(logger, binding.Id, request.OrderId, error.Kind, error.Code);
                return ProviderErrors.ToError(error, binding.PoolKey, binding.ExpectCity);
            }

            binding.AttachTrackingNumber(trackingNumber, clock.GetUtcNow());
            if (await bindings.TrySaveAsync(binding, cancellationToken))
            {
                LogAttached(logger, binding.Id, request.OrderId, trackingNumber);
                return DeliveryProtection.From(binding);
            }

            // A concurrent change won; reload and decide again (AddAxnTrackNo is harmless to repeat).
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tracking number {TrackingNumber} attached to binding {BindingId} of delivery order {OrderId}")]
    private static partial void LogAttached(ILogger logger, BindingId bindingId, string orderId, string trackingNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not attach a tracking number to binding {BindingId} of delivery order {OrderId}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogAttachFailed(ILogger logger, BindingId bindingId, string orderId, ProviderErrorKind errorKind, string providerCode);
}
