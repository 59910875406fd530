using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using Microsoft.Extensions.Options;

namespace BindingService.Application.DeliveryOrders.ProtectDeliveryOrder;

/// <summary>
/// Protect a delivery order. AXN extension (default): the customer (A) is reached through X plus an extension, the
/// courier is A's default B. AXB: customer and courier reach each other through X.
/// </summary>
public sealed record ProtectDeliveryOrder(
    string CallerId, string OrderId, string? CustomerPhone, string? CourierPhone, string? City, DateTimeOffset? ExpiresAt, string? Product);

/// <summary>The protection, and whether this request created it (201) or found it (200).</summary>
public sealed record ProtectDeliveryOrderOutcome(DeliveryProtection Protection, bool Created);

public sealed class ProtectDeliveryOrderHandler(
    BindingLifecycle lifecycle,
    IOptions<ProtectionOptions> options,
    IProviderPools pools,
    TimeProvider clock)
{
    public async Task<Result<ProtectDeliveryOrderOutcome>> HandleAsync(ProtectDeliveryOrder request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var invalid = ProtectDeliveryOrderValidator.Validate(request, now, settings);
        if (invalid is not null)
        {
            return invalid;
        }

        DeliveryProducts.TryParse(request.Product, out var product);
        var result = await lifecycle.CreateAsync(
            new CreateBindingRequest(
                DeliveryOrders.Order(request.CallerId, request.OrderId),
                product,
                product == BindingProduct.Axb ? pools.DeliveryAxbPoolKey : pools.DeliveryPoolKey,
                PhoneNumber.Parse(request.CustomerPhone),
                PhoneNumber.Parse(request.CourierPhone),
                new BindingSettings { ExpectCity = request.City },
                request.ExpiresAt?.ToUniversalTime() ?? now + settings.DefaultTtl),
            cancellationToken);
        return result.Error is { } error
            ? error
            : new ProtectDeliveryOrderOutcome(DeliveryProtection.From(result.Value!.Binding), result.Value.Created);
    }
}
