using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Application.GenericBindings.GetGenericBinding;
using BindingService.Domain.Bindings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Application.GenericBindings.ReleaseGenericBinding;

/// <summary>End a generic binding now: unbind at the provider, then mark it Released (BindingReleased). Idempotent.</summary>
public sealed record ReleaseGenericBinding(string CallerId, string BindingId);

public sealed partial class ReleaseGenericBindingHandler(
    IBindingRepository bindings,
    IPrivacyNumberProvider provider,
    GenericBindingViews views,
    IOptions<ProtectionOptions> options,
    TimeProvider clock,
    ILogger<ReleaseGenericBindingHandler> logger)
{
    public async Task<Result<GenericBindingView>> HandleAsync(ReleaseGenericBinding request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deadline = clock.GetUtcNow() + options.Value.PendingWaitTimeout;
        while (true)
        {
            var binding = await GetGenericBindingHandler.FindAsync(bindings, request.CallerId, request.BindingId, cancellationToken);
            if (binding is null)
            {
                return GenericBindingErrors.NotFound;
            }

            if (!binding.Status.IsOpen())
            {
                // Already ended: releasing is idempotent.
                return await views.ViewAsync(binding, cancellationToken);
            }

            if (binding.Status == BindingStatus.Pending)
            {
                if (clock.GetUtcNow() >= deadline)
                {
                    return GenericBindingErrors.Pending;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
                continue;
            }

            var unbound = await provider.UnbindSubscriptionAsync(new SubscriptionRef(binding.PoolKey, binding.SubsId!, binding.SecretNo!), cancellationToken);
            if (unbound.Error is { } error && error.Kind != ProviderErrorKind.SubscriptionNotFound)
            {
                LogUnbindFailed(logger, binding.Id, error.Kind, error.Code);
                return ProviderErrors.ToError(error, binding.PoolKey, binding.ExpectCity);
            }

            // SubscriptionNotFound: the provider has no such binding any more (already unbound or expired there).
            binding.Release(ReleaseReason.Cancelled, clock.GetUtcNow());
            if (await bindings.TrySaveAsync(binding, cancellationToken))
            {
                LogReleased(logger, binding.Id, binding.Product);
                return await views.ViewAsync(binding, cancellationToken);
            }

            // A concurrent change won; loop to see what it left.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released generic {Product} binding {BindingId}")]
    private static partial void LogReleased(ILogger logger, BindingId bindingId, BindingProduct product);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unbind generic binding {BindingId}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogUnbindFailed(ILogger logger, BindingId bindingId, ProviderErrorKind errorKind, string providerCode);
}
