using BindingService.Application.Abstractions;
using BindingService.Application.Bindings.CreateBinding;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using Microsoft.Extensions.Options;

namespace BindingService.Application.RideOrders.ProtectRideOrder;

/// <summary>Protect a ride order: passenger (A) and driver (B) reach each other through a virtual number X.</summary>
public sealed record ProtectRideOrder(string CallerId, string OrderId, string? PassengerPhone, string? DriverPhone, string? City, DateTimeOffset? ExpiresAt);

/// <summary>The protection, and whether this request created it (201) or found it (200).</summary>
public sealed record ProtectRideOrderOutcome(RideProtection Protection, bool Created);

public sealed class ProtectRideOrderHandler(
    BindingCreator creator,
    IOptions<ProtectionOptions> options,
    IProviderPools pools,
    TimeProvider clock)
{
    private static readonly Error OtherParties =
        Error.Conflict("order.protected_with_other_parties", "The order is already protected for a different passenger or driver. Release it first.");

    public async Task<Result<ProtectRideOrderOutcome>> HandleAsync(ProtectRideOrder request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var invalid = ProtectRideOrderValidator.Validate(request, now, settings);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = await creator.CreateAsync(
            new CreateBindingRequest(
                new OrderKey(request.CallerId, BusinessLine.Ride, request.OrderId),
                BindingProduct.Axb,
                pools.RidePoolKey,
                PhoneNumber.Parse(request.PassengerPhone),
                PhoneNumber.Parse(request.DriverPhone),
                new BindingSettings { ExpectCity = request.City },
                request.ExpiresAt?.ToUniversalTime() ?? now + settings.DefaultTtl,
                OtherParties),
            cancellationToken);
        return result.Error is { } error
            ? error
            : new ProtectRideOrderOutcome(RideProtection.From(result.Value!.Binding), result.Value.Created);
    }
}
