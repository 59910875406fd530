using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Application.Bindings.ReleaseBinding;

/// <summary>
/// The one way a binding is ended early, for every business line: wait (bounded) for a Pending binding to settle,
/// unbind at the provider (its "no such binding" means it is already gone there), then mark the binding Released
/// (<c>BindingReleased</c>) and save. Releasing a binding that has already ended answers it as it is (idempotent).
/// </summary>
public sealed partial class BindingReleaser(
    IBindingRepository bindings,
    IPrivacyNumberProvider provider,
    IOptions<ProtectionOptions> options,
    TimeProvider clock,
    ILogger<BindingReleaser> logger)
{
    public static readonly Error Pending =
        Error.Unavailable("binding.pending", "The protection is still being set up. Retry shortly.", TimeSpan.FromSeconds(2));

    /// <summary>
    /// Releases the binding <paramref name="load"/> finds (loaded afresh on every attempt: the open one of an order, or
    /// one by id). The result is the binding as it now is, or null when <paramref name="load"/> finds none.
    /// </summary>
    public async Task<Result<Binding?>> ReleaseAsync(Func<CancellationToken, Task<Binding?>> load, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        var deadline = clock.GetUtcNow() + options.Value.PendingWaitTimeout;
        while (true)
        {
            var binding = await load(cancellationToken);
            if (binding is null || !binding.Status.IsOpen())
            {
                return binding; // not found, or already ended: releasing is idempotent
            }

            if (binding.Status == BindingStatus.Pending)
            {
                if (clock.GetUtcNow() >= deadline)
                {
                    return Pending;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
                continue;
            }

            var unbound = await provider.UnbindSubscriptionAsync(new SubscriptionRef(binding.PoolKey, binding.SubsId!, binding.SecretNo!), cancellationToken);
            if (unbound.Error is { } error && error.Kind != ProviderErrorKind.SubscriptionNotFound)
            {
                LogUnbindFailed(logger, binding.Id, binding.BusinessLine, binding.OrderId, error.Kind, error.Code);
                return ProviderErrors.ToError(error, binding.PoolKey, binding.ExpectCity);
            }

            // SubscriptionNotFound: the provider has no such binding any more (already unbound or expired there).
            binding.Release(ReleaseReason.Cancelled, clock.GetUtcNow());
            if (await bindings.TrySaveAsync(binding, cancellationToken))
            {
                LogReleased(logger, binding.Id, binding.BusinessLine, binding.OrderId);
                return binding;
            }

            // A concurrent change won; loop to act on (or report) the state it left.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released binding {BindingId} of {BusinessLine} order {OrderId}")]
    private static partial void LogReleased(ILogger logger, BindingId bindingId, BusinessLine businessLine, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unbind binding {BindingId} of {BusinessLine} order {OrderId}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogUnbindFailed(ILogger logger, BindingId bindingId, BusinessLine businessLine, string orderId, ProviderErrorKind errorKind, string providerCode);
}
