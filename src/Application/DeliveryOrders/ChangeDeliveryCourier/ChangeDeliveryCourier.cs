using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using Microsoft.Extensions.Logging;

namespace BindingService.Application.DeliveryOrders.ChangeDeliveryCourier;

/// <summary>Another courier takes the delivery: B becomes the new courier (UpdateSubscription updateNoB).</summary>
public sealed record ChangeDeliveryCourier(string CallerId, string OrderId, string? CourierPhone);

public sealed partial class ChangeDeliveryCourierHandler(
    DeliveryBindings deliveries,
    IBindingRepository bindings,
    IPrivacyNumberProvider provider,
    TimeProvider clock,
    ILogger<ChangeDeliveryCourierHandler> logger)
{
    public async Task<Result<DeliveryProtection>> HandleAsync(ChangeDeliveryCourier request, CancellationToken cancellationToken)
    {
        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            return DeliveryOrderErrors.NotFound;
        }

        if (!PhoneNumber.TryParse(request.CourierPhone, out var courier))
        {
            return DeliveryValidation.Field("courierPhone", DeliveryValidation.PhoneRule);
        }

        var order = DeliveryBindings.Order(request.CallerId, request.OrderId);
        while (true)
        {
            var loaded = await deliveries.ActiveAsync(order, cancellationToken);
            if (loaded.Error is { } notChangeable)
            {
                return notChangeable;
            }

            var binding = loaded.Value!;
            if (binding.PartyA == courier)
            {
                return DeliveryValidation.Field("courierPhone", "Must differ from the customer's number.");
            }

            if (binding.PartyB == courier)
            {
                return DeliveryProtection.From(binding); // already this courier: idempotent, nothing sent
            }

            var updated = await provider.UpdateSubscriptionAsync(
                new SubscriptionUpdate.ChangePartyB(new SubscriptionRef(binding.PoolKey, binding.SubsId!, binding.SecretNo!), courier),
                cancellationToken);
            if (updated.Error is { } error)
            {
                LogUpdateFailed(logger, binding.Id, request.OrderId, error.Kind, error.Code);
                return ProviderErrors.ToError(error, binding.PoolKey, binding.ExpectCity);
            }

            binding.ReassignPartyB(courier, clock.GetUtcNow());
            if (await bindings.TrySaveAsync(binding, cancellationToken))
            {
                LogCourierChanged(logger, binding.Id, request.OrderId, courier.Masked);
                return DeliveryProtection.From(binding);
            }

            // A concurrent change won; reload and apply ours to what it left.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Binding {BindingId} of delivery order {OrderId} now reaches courier {CourierMasked}")]
    private static partial void LogCourierChanged(ILogger logger, BindingId bindingId, string orderId, string courierMasked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not change the courier of binding {BindingId} of delivery order {OrderId}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogUpdateFailed(ILogger logger, BindingId bindingId, string orderId, ProviderErrorKind errorKind, string providerCode);
}
