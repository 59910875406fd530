using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Application.RideOrders;

/// <summary>
/// What one in-place change would do to an Active binding: nothing (already so — an idempotent repeat), a refusal, or
/// a provider update followed by the domain method that records it.
/// </summary>
public sealed record RideChangePlan
{
    private RideChangePlan(SubscriptionUpdate? update, Func<Binding, DateTimeOffset, bool>? apply, Error? refusal)
    {
        Update = update;
        Apply = apply;
        Refusal = refusal;
    }

    public SubscriptionUpdate? Update { get; }

    public Func<Binding, DateTimeOffset, bool>? Apply { get; }

    public Error? Refusal { get; }

    /// <summary>The binding already is as asked: no provider call, no event.</summary>
    public static RideChangePlan Unchanged { get; } = new(null, null, null);

    public static RideChangePlan Refuse(Error error) => new(null, null, error);

    /// <summary>Send <paramref name="update"/> to the provider, then record it with <paramref name="apply"/> (false = nothing changed).</summary>
    public static RideChangePlan Change(SubscriptionUpdate update, Func<Binding, DateTimeOffset, bool> apply) => new(update, apply, null);
}

/// <summary>
/// Applies one change to a ride order's open protection (docs/api.md, 'Changes: driver, expiry, recording, call restriction'): load the open binding (waiting
/// briefly for one still Pending), end it first if it is past its expiry (BindingExpired), refuse a change of an
/// ended protection (409), skip an idempotent repeat, otherwise call UpdateSubscription, then the domain method, then
/// save once (one BindingUpdated row in the same transaction, invariant 4). A concurrent save reloads and retries.
/// </summary>
public sealed partial class RideProtectionChanger(
    IBindingRepository bindings,
    IPrivacyNumberProvider provider,
    IOptions<ProtectionOptions> options,
    TimeProvider clock,
    ILogger<RideProtectionChanger> logger)
{
    private const int MaxConcurrentRetries = 3;

    /// <summary>The 409 for a change of a protection that has ended (released, expired or failed).</summary>
    public static Error Ended(BindingStatus status) => Error.Conflict(
        "order.protection_ended",
        $"The ride order's protection is {status.ToString().ToLowerInvariant()}; it can no longer change. Protect the order again.");

    public async Task<Result<RideProtection>> ChangeAsync(
        string callerId, string orderId, string operation, Func<Binding, DateTimeOffset, RideChangePlan> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!OrderKey.IsValidId(orderId, OrderKey.MaxOrderIdLength))
        {
            return RideOrderErrors.NotFound;
        }

        var order = new OrderKey(callerId, BusinessLine.Ride, orderId);
        var deadline = clock.GetUtcNow() + options.Value.PendingWaitTimeout;
        var lostRaces = 0;
        while (true)
        {
            var open = await bindings.FindOpenByOrderAsync(order, cancellationToken);
            if (open is null)
            {
                var latest = await bindings.FindLatestByOrderAsync(order, cancellationToken);
                return latest is null ? RideOrderErrors.NotFound : Ended(latest.Status);
            }

            if (open.Status == BindingStatus.Pending)
            {
                if (clock.GetUtcNow() >= deadline)
                {
                    return Error.Unavailable("binding.pending", "The protection is still being set up. Retry shortly.", TimeSpan.FromSeconds(2));
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), clock, cancellationToken);
                continue;
            }

            if (await RideExpiry.EndIfDueAsync(open, bindings, clock, cancellationToken))
            {
                LogExpiredOnChange(logger, open.Id, orderId, operation);
                continue; // report the ended state (409)
            }

            var now = clock.GetUtcNow();
            var planned = plan(open, now);
            if (planned.Refusal is { } refusal)
            {
                return refusal;
            }

            if (planned.Update is null || planned.Apply is null)
            {
                return RideProtection.From(open); // an idempotent repeat: nothing to send, no event
            }

            var updated = await provider.UpdateSubscriptionAsync(planned.Update, cancellationToken);
            if (updated.Error is { } error)
            {
                LogProviderRefused(logger, open.Id, orderId, operation, error.Kind, error.Code);
                return ProviderErrors.ToError(error, open.PoolKey, open.ExpectCity);
            }

            _ = planned.Apply(open, clock.GetUtcNow());
            if (await bindings.TrySaveAsync(open, cancellationToken))
            {
                LogChanged(logger, open.Id, orderId, operation);
                return RideProtection.From(open);
            }

            // Someone changed the binding first (another change, a release, the sweeper): look again.
            if (++lostRaces >= MaxConcurrentRetries)
            {
                return Error.Unavailable("binding.contended", "The protection is being changed concurrently. Retry the same request.", TimeSpan.FromSeconds(1));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Changed binding {BindingId} of ride order {OrderId}: {Operation}")]
    private static partial void LogChanged(ILogger logger, BindingId bindingId, string orderId, string operation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Binding {BindingId} of ride order {OrderId} was past its expiry when asked to {Operation}: expired it")]
    private static partial void LogExpiredOnChange(ILogger logger, BindingId bindingId, string orderId, string operation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider refused {Operation} of binding {BindingId} of ride order {OrderId}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogProviderRefused(ILogger logger, BindingId bindingId, string orderId, string operation, ProviderErrorKind errorKind, string providerCode);
}

/// <summary>Ends a binding that is past its expiry but that no sweeper has ended yet (as <c>BindingCreator</c> does).</summary>
internal static class RideExpiry
{
    /// <summary>True when <paramref name="binding"/> was due and is now Expired (or someone else just changed it): reload it.</summary>
    public static async Task<bool> EndIfDueAsync(Binding binding, IBindingRepository bindings, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (binding.Status != BindingStatus.Active || binding.ExpiresAt > now)
        {
            return false;
        }

        binding.Expire(now);
        await bindings.TrySaveAsync(binding, cancellationToken); // false: a sweeper or a concurrent request ended it first
        return true;
    }

    /// <summary>The provider keeps expiries to the second (China time, no fractions): send exactly what we keep.</summary>
    public static DateTimeOffset ToTheSecond(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
