using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Application.Bindings.CreateBinding;

/// <summary>
/// What to protect: an order, the product and pool, the parties and settings. <paramref name="Conflict"/> is the
/// error for an order that is already protected with other parties (each business line words it its own way).
/// </summary>
public sealed record CreateBindingRequest(
    OrderKey Order,
    BindingProduct Product,
    string PoolKey,
    PhoneNumber PartyA,
    PhoneNumber? PartyB,
    BindingSettings Settings,
    DateTimeOffset ExpiresAt,
    Error Conflict);

/// <summary>The binding, and whether this request created it (201) or found it (200).</summary>
public sealed record CreateBindingOutcome(Binding Binding, bool Created);

/// <summary>
/// The one way a binding is created, for every business line (docs/api.md, 'Protect'; docs/operations.md, 'Reconciler'): an open binding of the order with
/// the same parties is returned as it is (idempotent); otherwise a Pending binding is recorded first (the unique
/// open-order index makes concurrent identical requests, on any replica, create one), X is chosen
/// (<see cref="INumberSelector"/>), the provider binds, and the binding becomes Active — or Failed on a definitive
/// refusal, or stays Pending on an unknown outcome for reconciliation to settle.
/// </summary>
public sealed partial class BindingCreator(
    IBindingRepository bindings,
    IPrivacyNumberProvider provider,
    INumberSelector numbers,
    IOptions<ProtectionOptions> options,
    TimeProvider clock,
    ILogger<BindingCreator> logger)
{
    public async Task<Result<CreateBindingOutcome>> CreateAsync(CreateBindingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deadline = clock.GetUtcNow() + options.Value.PendingWaitTimeout;
        var delay = TimeSpan.FromMilliseconds(25);
        Binding binding;
        while (true)
        {
            var open = await bindings.FindOpenByOrderAsync(request.Order, cancellationToken);
            if (open is { Status: BindingStatus.Active } && open.ExpiresAt <= clock.GetUtcNow())
            {
                // Past its expiry but not swept yet: end it here so the order can be protected afresh.
                open.Expire(clock.GetUtcNow());
                await bindings.TrySaveAsync(open, cancellationToken);
                continue;
            }

            if (open is { Status: BindingStatus.Active })
            {
                return open.Product == request.Product && open.Joins(request.PartyA, request.PartyB)
                    ? new CreateBindingOutcome(open, Created: false)
                    : request.Conflict;
            }

            if (open is null)
            {
                binding = Binding.Request(request.Order, request.Product, request.PoolKey, request.PartyA, request.PartyB, request.Settings, request.ExpiresAt, clock.GetUtcNow());
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

        var chosen = await numbers.ReserveAsync(binding, cancellationToken);
        if (chosen.Error is { } noNumber)
        {
            binding.Fail(noNumber.Code, clock.GetUtcNow());
            await bindings.TrySaveAsync(binding, cancellationToken);
            LogNoNumber(logger, binding.Id, request.Order.OrderId, binding.PoolKey, noNumber.Code);
            return noNumber;
        }

        var settings = request.Settings;
        var result = await provider.BindAsync(
            new BindRequest(
                binding.Product, binding.PoolKey, binding.PartyA, binding.PartyB, binding.ExpiresAt, OutId: binding.Id.ToString(),
                OutOrderId: request.Order.OrderId, ExpectCity: settings.ExpectCity, PhoneNoX: chosen.Value,
                RecordingEnabled: settings.RecordingEnabled ? true : null, CallRestriction: settings.CallRestriction,
                Extension: binding.Extension, GroupId: binding.GroupId),
            cancellationToken);

        if (result.Error is { } error)
        {
            if (ProviderErrors.IsDefinitive(error))
            {
                var mapped = ProviderErrors.ToError(error, binding.PoolKey, settings.ExpectCity);
                binding.Fail(mapped.Code, clock.GetUtcNow());
                await bindings.TrySaveAsync(binding, cancellationToken);
                LogBindRefused(logger, binding.Id, request.Order.OrderId, error.Kind, error.Code);
                return mapped;
            }

            // Unknown outcome (timeout, connection lost after sending): the binding stays Pending for reconciliation.
            LogBindUnsettled(logger, binding.Id, request.Order.OrderId, error.Kind, error.Code, error.OutcomeUnknown);
            return ProviderErrors.ToError(error, binding.PoolKey, settings.ExpectCity);
        }

        var created = result.Value!;
        binding.Activate(created.SubsId, created.SecretNo, clock.GetUtcNow(), created.Extension);
        if (!await bindings.TrySaveAsync(binding, cancellationToken))
        {
            // Nothing else changes a Pending binding we hold, except reconciliation; report what is there now.
            var current = await bindings.FindLatestByOrderAsync(request.Order, cancellationToken);
            return current is null
                ? Error.Unavailable("binding.conflict", "The binding changed concurrently. Retry the same request.", TimeSpan.FromSeconds(1))
                : new CreateBindingOutcome(current, Created: false);
        }

        LogBound(logger, binding.Id, request.Order.BusinessLine, request.Order.OrderId, binding.Product, binding.SecretNo!);
        return new CreateBindingOutcome(binding, Created: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Protected {BusinessLine} order {OrderId} with {Product} binding {BindingId} through {SecretNo}")]
    private static partial void LogBound(ILogger logger, BindingId bindingId, BusinessLine businessLine, string orderId, BindingProduct product, string secretNo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No virtual number for binding {BindingId} of order {OrderId} in pool {PoolKey}: {Code}")]
    private static partial void LogNoNumber(ILogger logger, BindingId bindingId, string orderId, string poolKey, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider refused binding {BindingId} for order {OrderId}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogBindRefused(ILogger logger, BindingId bindingId, string orderId, ProviderErrorKind errorKind, string providerCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binding {BindingId} for order {OrderId} left Pending: {ErrorKind} ({ProviderCode}), outcome unknown: {OutcomeUnknown}")]
    private static partial void LogBindUnsettled(ILogger logger, BindingId bindingId, string orderId, ProviderErrorKind errorKind, string providerCode, bool outcomeUnknown);
}
