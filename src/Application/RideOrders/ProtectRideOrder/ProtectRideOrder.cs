using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Application.RideOrders.ProtectRideOrder;

/// <summary>Protect a ride order: passenger (A) and driver (B) reach each other through a virtual number X.</summary>
public sealed record ProtectRideOrder(string CallerId, string OrderId, string? PassengerPhone, string? DriverPhone, string? City, DateTimeOffset? ExpiresAt);

/// <summary>The protection, and whether this request created it (201) or found it (200).</summary>
public sealed record ProtectRideOrderOutcome(RideProtection Protection, bool Created);

public sealed partial class ProtectRideOrderHandler(
    IBindingRepository bindings,
    IPrivacyNumberProvider provider,
    IOptions<ProtectionOptions> options,
    IProviderPools pools,
    TimeProvider clock,
    ILogger<ProtectRideOrderHandler> logger)
{
    public async Task<Result<ProtectRideOrderOutcome>> HandleAsync(ProtectRideOrder request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var invalid = ProtectRideOrderValidator.Validate(request, now, settings);
        if (invalid is not null)
        {
            return invalid;
        }

        var order = new OrderKey(request.CallerId, BusinessLine.Ride, request.OrderId);
        var passenger = PhoneNumber.Parse(request.PassengerPhone);
        var driver = PhoneNumber.Parse(request.DriverPhone);
        var expiresAt = request.ExpiresAt?.ToUniversalTime() ?? now + settings.DefaultTtl;
        var poolKey = pools.RidePoolKey;

        var deadline = now + settings.PendingWaitTimeout;
        var delay = TimeSpan.FromMilliseconds(25);
        Binding binding;
        while (true)
        {
            var open = await bindings.FindOpenByOrderAsync(order, cancellationToken);
            if (open is { Status: BindingStatus.Active } && open.ExpiresAt <= clock.GetUtcNow())
            {
                // Past its expiry but not swept yet: end it here so the order can be protected afresh.
                open.Expire(clock.GetUtcNow());
                await bindings.TrySaveAsync(open, cancellationToken);
                continue;
            }

            if (open is { Status: BindingStatus.Active })
            {
                return open.Joins(passenger, driver)
                    ? new ProtectRideOrderOutcome(RideProtection.From(open), Created: false)
                    : Error.Conflict("order.protected_with_other_parties", "The order is already protected for a different passenger or driver. Release it first.");
            }

            if (open is null)
            {
                binding = Binding.RequestAxb(order, poolKey, passenger, driver, request.City, expiresAt, clock.GetUtcNow());
                if (await bindings.TryAddAsync(binding, cancellationToken))
                {
                    break;
                }

                continue; // a concurrent request recorded one first
            }

            // Pending: a concurrent request is talking to the provider. Wait for it to settle.
            if (clock.GetUtcNow() >= deadline)
            {
                return Error.Unavailable("binding.pending", "A protection for this order is still being set up. Retry shortly.", TimeSpan.FromSeconds(2));
            }

            await Task.Delay(delay, clock, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }

        var result = await provider.BindAxbAsync(
            new AxbBindRequest(poolKey, passenger, driver, expiresAt, OutId: binding.Id.ToString(), OutOrderId: request.OrderId, ExpectCity: request.City),
            cancellationToken);

        if (result.Error is { } error)
        {
            if (ProviderErrors.IsDefinitive(error))
            {
                var mapped = ProviderErrors.ToError(error, poolKey, request.City);
                binding.Fail(mapped.Code, clock.GetUtcNow());
                await bindings.TrySaveAsync(binding, cancellationToken);
                LogBindRefused(logger, binding.Id, request.OrderId, error.Kind, error.Code);
                return mapped;
            }

            // Unknown or transient: the binding stays Pending and reconciliation settles it.
            LogBindUnsettled(logger, binding.Id, request.OrderId, error.Kind, error.Code, error.OutcomeUnknown);
            return ProviderErrors.ToError(error, poolKey, request.City);
        }

        var created = result.Value!;
        binding.Activate(created.SubsId, created.SecretNo, clock.GetUtcNow());
        if (!await bindings.TrySaveAsync(binding, cancellationToken))
        {
            // Nothing else changes a Pending binding we hold, except reconciliation; report what is there now.
            var current = await bindings.FindLatestByOrderAsync(order, cancellationToken);
            return current is null
                ? Error.Unavailable("binding.conflict", "The binding changed concurrently. Retry the same request.", TimeSpan.FromSeconds(1))
                : new ProtectRideOrderOutcome(RideProtection.From(current), Created: false);
        }

        LogBound(logger, binding.Id, request.OrderId, binding.SecretNo!);
        return new ProtectRideOrderOutcome(RideProtection.From(binding), Created: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Protected ride order {OrderId} with binding {BindingId} through {SecretNo}")]
    private static partial void LogBound(ILogger logger, BindingId bindingId, string orderId, string secretNo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider refused binding {BindingId} for ride order {OrderId}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogBindRefused(ILogger logger, BindingId bindingId, string orderId, ProviderErrorKind errorKind, string providerCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binding {BindingId} for ride order {OrderId} left Pending: {ErrorKind} ({ProviderCode}), outcome unknown: {OutcomeUnknown}")]
    private static partial void LogBindUnsettled(ILogger logger, BindingId bindingId, string orderId, ProviderErrorKind errorKind, string providerCode, bool outcomeUnknown);
}
