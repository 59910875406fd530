using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using Microsoft.Extensions.Options;

namespace BindingService.Application.RideOrders.ProtectRideOrder;

/// <summary>Protect a ride order: passenger (A) and driver (B) reach each other through a virtual number X.</summary>
public sealed record ProtectRideOrder(string CallerId, string OrderId, string? PassengerPhone, string? DriverPhone, string? City, DateTimeOffset? ExpiresAt);

/// <summary>The protection, and whether this request created it (201) or found it (200).</summary>
public sealed record ProtectRideOrderOutcome(RideProtection Protection, bool Created);

public sealed class ProtectRideOrderHandler(BindingLifecycle lifecycle, IOptions<ProtectionOptions> options, IProviderPools pools, TimeProvider clock)
{
    public async Task<Result<ProtectRideOrderOutcome>> HandleAsync(ProtectRideOrder request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var settings = options.Value;
        if (ProtectRideOrderValidator.Validate(request, now, settings) is { } invalid)
        {
            return invalid;
        }

        var result = await lifecycle.CreateAsync(
            new CreateBindingRequest(
                new OrderKey(request.CallerId, BusinessLine.Ride, request.OrderId),
                BindingProduct.Axb,
                pools.RidePoolKey,
                PhoneNumber.Parse(request.PassengerPhone),
                PhoneNumber.Parse(request.DriverPhone),
                new BindingSettings { ExpectCity = request.City },
                request.ExpiresAt?.ToUniversalTime() ?? now + settings.DefaultTtl),
            cancellationToken);
        return result.Error is { } error
            ? error
            : new ProtectRideOrderOutcome(RideProtection.From(result.Value!.Binding), result.Value.Created);
    }
}
