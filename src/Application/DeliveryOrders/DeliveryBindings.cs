using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using Microsoft.Extensions.Options;

namespace BindingService.Application.DeliveryOrders;

/// <summary>Loads a delivery order's binding for a change, waiting for a Pending one to settle.</summary>
public sealed class DeliveryBindings(IBindingRepository bindings, IOptions<ProtectionOptions> options, TimeProvider clock)
{
    public static OrderKey Order(string callerId, string orderId) => new(callerId, BusinessLine.Delivery, orderId);

    /// <summary>
    /// The order's Active binding: 404 when the order was never protected, 409 when its protection has ended (or is
    /// past its expiry and about to be swept), 503 when it is still Pending after the configured wait.
    /// </summary>
    public async Task<Result<Binding>> ActiveAsync(OrderKey order, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + options.Value.PendingWaitTimeout;
        while (true)
        {
            var open = await bindings.FindOpenByOrderAsync(order, cancellationToken);
            if (open is null)
            {
                return await bindings.FindLatestByOrderAsync(order, cancellationToken) is null
                    ? DeliveryOrderErrors.NotFound
                    : DeliveryOrderErrors.Ended;
            }

            if (open.Status == BindingStatus.Active)
            {
                return open.ExpiresAt <= clock.GetUtcNow() ? DeliveryOrderErrors.Ended : open;
            }

            if (clock.GetUtcNow() >= deadline)
            {
                return DeliveryOrderErrors.Pending;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
        }
    }
}
