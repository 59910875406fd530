using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using Microsoft.Extensions.Logging;

namespace BindingService.Application.DeliveryOrders.FindDeliveryByTrackingNumber;

/// <summary>Which delivery a waybill's tracking number belongs to: our open binding, confirmed at the provider (QueryPhoneNoAByTrackNo).</summary>
public sealed record FindDeliveryByTrackingNumber(string CallerId, string? TrackingNumber);

/// <summary>What a tracking number leads to. The customer's number only masked.</summary>
public sealed record DeliveryByTrackingNumber(
    string TrackingNumber,
    string OrderId,
    Guid BindingId,
    string Status,
    string VirtualNumber,
    string? Extension,
    string DialString,
    string CustomerPhone,
    DateTimeOffset ExpiresAt);

public sealed partial class FindDeliveryByTrackingNumberHandler(
    IBindingRepository bindings,
    IPrivacyNumberProvider provider,
    TimeProvider clock,
    ILogger<FindDeliveryByTrackingNumberHandler> logger)
{
    public async Task<Result<DeliveryByTrackingNumber>> HandleAsync(FindDeliveryByTrackingNumber request, CancellationToken cancellationToken)
    {
        if (!DeliveryValidation.IsValidTrackingNumber(request.TrackingNumber))
        {
            return DeliveryValidation.InvalidTrackingNumber();
        }

        var trackingNumber = request.TrackingNumber!;
        var binding = await bindings.FindOpenByTrackingNumberAsync(request.CallerId, trackingNumber, cancellationToken);
        if (binding is not { Status: BindingStatus.Active, SecretNo: not null } || binding.BusinessLine != BusinessLine.Delivery || binding.IsDue(clock.GetUtcNow()))
        {
            return DeliveryOrderErrors.TrackingNumberNotFound;
        }

        var found = await provider.FindByTrackingNumberAsync(trackingNumber, binding.SecretNo, cancellationToken);
        if (found.Error is { } error)
        {
            LogQueryFailed(logger, binding.Id, error.Kind, error.Code);
            return ProviderErrors.ToError(error, binding.PoolKey, binding.ExpectCity);
        }

        // The provider must know this tracking number on our X and extension, for our customer (when it shows A in clear).
        var confirmed = found.Value!.Any(t =>
            t.SecretNo == binding.SecretNo
            && string.Equals(t.Extension ?? string.Empty, binding.Extension ?? string.Empty, StringComparison.Ordinal)
            && (t.PartyA is null || t.PartyA == binding.PartyA));
        if (!confirmed)
        {
            LogNotAtProvider(logger, binding.Id, binding.OrderId, found.Value!.Count);
            return DeliveryOrderErrors.TrackingNumberNotFound;
        }

        return new DeliveryByTrackingNumber(
            trackingNumber,
            binding.OrderId,
            binding.Id.Value,
            WireNames.Status(binding.Status),
            binding.SecretNo,
            binding.Extension,
            DeliveryProtection.DialStringOf(binding)!,
            binding.PartyA.Masked,
            binding.ExpiresAt);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not confirm the tracking number of binding {BindingId} at the provider: {ErrorKind} ({ProviderCode})")]
    private static partial void LogQueryFailed(ILogger logger, BindingId bindingId, ProviderErrorKind errorKind, string providerCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binding {BindingId} of delivery order {OrderId} carries a tracking number the provider does not confirm ({ProviderMatches} other matches)")]
    private static partial void LogNotAtProvider(ILogger logger, BindingId bindingId, string orderId, int providerMatches);
}
