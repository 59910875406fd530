using System.Diagnostics;
using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Application.Bindings;

/// <summary>What to protect: an order, the product and pool, the parties and settings.</summary>
public sealed record CreateBindingRequest(
    OrderKey Order,
    BindingProduct Product,
    string PoolKey,
    PhoneNumber PartyA,
    PhoneNumber? PartyB,
    BindingSettings Settings,
    DateTimeOffset ExpiresAt);

/// <summary>The binding, and whether this request created it (201) or found it (200).</summary>
public sealed record CreateBindingOutcome(Binding Binding, bool Created);

/// <summary>
/// The one binding lifecycle engine: every business line creates, reads, changes and releases bindings here, and the
/// jobs expire and settle them here. The rules, each written once (docs/architecture.md, "The lifecycle rules"):
/// <list type="bullet">
/// <item><b>Pending</b>: a request that meets a Pending binding (another request is talking to the provider) polls
/// it, 25 ms doubling to 250 ms, for at most Protection:PendingWaitTimeout, then answers 503 <c>binding.pending</c>.</item>
/// <item><b>Past its expiry</b>: an Active binding whose expiry has passed is expired (BindingExpired) by whoever meets
/// it first — a read shows it expired, a change answers 409 as for any ended binding, a release answers its final
/// state, a protect of its order starts afresh.</item>
/// <item><b>Lost races</b>: a save that loses to a concurrent change reloads and decides again, at most
/// <see cref="MaxLostRaces"/> times, then answers 503 <c>binding.contended</c>.</item>
/// <item><b>Provider first</b>: a change is sent to the provider, then recorded and saved with its event. Once a
/// changing call is sent, neither it nor the save after it is cancelled by the caller going away: they run under
/// Protection:CommitTimeout of their own, so the provider and our database do not drift apart.</item>
/// <item><b>Repeats</b>: asking for what already is changes nothing, sends nothing and raises no event.</item>
/// </list>
/// </summary>
public sealed partial class BindingLifecycle(
    IBindingRepository bindings,
    IPrivacyNumberProvider provider,
    INumberSelector numbers,
    IOptions<ProtectionOptions> options,
    TimeProvider clock,
    ILogger<BindingLifecycle> logger)
{
    /// <summary>How many times a change is decided again after losing a race with a concurrent change.</summary>
    public const int MaxLostRaces = 3;

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Protects an order. A Pending binding is recorded first (the unique open-order index lets one of many concurrent
    /// identical requests, on any replica, record it); when the order already has an open binding, that one is read:
    /// with the same product and parties it is returned as it is (idempotent), with others it answers
    /// <see cref="BindingErrors.OtherParties"/>. Then X is chosen, the provider binds, and the binding becomes Active —
    /// or Failed on a definitive refusal, or stays Pending after an unknown outcome for the reconciler to settle.
    /// </summary>
    public async Task<Result<CreateBindingOutcome>> CreateAsync(CreateBindingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = BindingTarget.Order(request.Order);

        // Most orders have no open binding yet (a new ride): record the Pending binding at once. The open-order index
        // answers when there is one (TryAddAsync is false, nothing written), and only then is the order's binding read
        // and decided on as below — one statement instead of a read and an insert (docs/performance.md, change 26).
        Binding Pending() => Binding.Request(request.Order, request.Product, request.PoolKey, request.PartyA, request.PartyB, request.Settings, request.ExpiresAt, clock.GetUtcNow());
        var binding = Pending();
        for (var attempt = 1; !await bindings.TryAddAsync(binding, cancellationToken); attempt++)
        {
            if (attempt > MaxLostRaces)
            {
                return BindingErrors.Contended; // recorded and ended again and again by others
            }

            var settled = await SettledAsync(target, cancellationToken);
            if (settled.Error is { } notSettled)
            {
                return notSettled;
            }

            if (settled.Value is { Status: BindingStatus.Active } open)
            {
                return open.Product == request.Product && open.Joins(request.PartyA, request.PartyB)
                    ? new CreateBindingOutcome(open, Created: false)
                    : BindingErrors.OtherParties;
            }

            binding = Pending();
        }

        // From here on the Pending binding exists: finish what we start even if the caller goes away.
        using var commit = CommitScope();
        var chosen = await numbers.ReserveAsync(binding, commit.Token);
        if (chosen.Error is { } noNumber)
        {
            binding.Fail(noNumber.Code, clock.GetUtcNow());
            await bindings.TrySaveAsync(commit.Token);
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
            commit.Token);
        if (result.Error is { } error)
        {
            var mapped = ProviderErrors.ToError(error, binding.PoolKey, settings.ExpectCity);
            if (ProviderErrors.IsDefinitive(error))
            {
                binding.Fail(mapped.Code, clock.GetUtcNow());
                await bindings.TrySaveAsync(commit.Token);
                LogBindRefused(logger, binding.Id, request.Order.OrderId, error.Kind, error.Code);
                return mapped;
            }

            // Unknown outcome (timeout, connection lost after sending): the binding stays Pending for the reconciler.
            LogBindUnsettled(logger, binding.Id, request.Order.OrderId, error.Kind, error.Code);
            return mapped;
        }

        var created = result.Value!;
        binding.Activate(created.SubsId, created.SecretNo, clock.GetUtcNow(), created.Extension);
        if (!await bindings.TrySaveAsync(commit.Token))
        {
            // Only the reconciler changes a Pending binding we hold (it adopted it): report what is there now.
            var current = await bindings.FindByIdAsync(binding.Id, commit.Token);
            return current is null ? BindingErrors.Contended : new CreateBindingOutcome(current, Created: false);
        }

        TagRequest(binding.Id);
        LogBound(logger, binding.Id, request.Order.BusinessLine, request.Order.OrderId, binding.Product, binding.SecretNo!);
        return new CreateBindingOutcome(binding, Created: true);
    }

    /// <summary>The binding as it now is (ended first if it is past its expiry), or <see cref="BindingTarget"/>'s not-found error.</summary>
    public async Task<Result<Binding>> ReadAsync(BindingTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var binding = await CurrentAsync(target, cancellationToken);
        return binding is null ? target.NotFound : binding;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the target's Active binding: 404 when there is none, 409 when it has ended
    /// (or was past its expiry), the plan's refusal, the binding as it is for a repeat, else provider first, then the
    /// domain method, saved with its BindingUpdated event.
    /// </summary>
    public async Task<Result<Binding>> ChangeAsync(BindingTarget target, LifecycleChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(change);
        for (var lost = 0; ; )
        {
            var found = await FoundAsync(target, cancellationToken);
            if (found.Error is { } notFound)
            {
                return notFound;
            }

            var binding = found.Value!;
            if (binding.Status != BindingStatus.Active)
            {
                return target.Ended(binding.Status);
            }

            var step = change.Plan(binding, clock.GetUtcNow());
            if (step.Refusal is { } refusal)
            {
                return refusal;
            }

            if (step.Command is not { } command || step.Apply is not { } apply)
            {
                return binding; // already so: nothing to send, no event
            }

            using var commit = CommitScope();
            var sent = await command.SendAsync(provider, commit.Token);
            if (sent.Error is { } error)
            {
                LogChangeRefused(logger, binding.Id, change.Name, command.Name, error.Kind, error.Code);
                return ProviderErrors.ToError(error, binding.PoolKey, binding.ExpectCity);
            }

            apply(binding, clock.GetUtcNow());
            bool saved;
            try
            {
                saved = await bindings.TrySaveAsync(commit.Token);
            }
            catch (StoreConflictException conflict)
            {
                // The provider has the change, our store refuses it: ours stays as it was and is the truth. The drift
                // check pushes ours back to the provider (docs/operations.md, "Reconciler"); AddAxnTrackNo cannot be
                // undone there, and the lookup by tracking number confirms only our own holder.
                LogStoreRefused(logger, binding.Id, change.Name, conflict.Rule);
                return BindingErrors.StoreConflict(conflict.Rule);
            }

            if (saved)
            {
                TagRequest(binding.Id);
                LogChanged(logger, binding.Id, binding.BusinessLine, change.Name);
                return binding;
            }

            // A concurrent change won. Our provider call was a "set": deciding again on the reloaded binding is safe.
            if (++lost >= MaxLostRaces)
            {
                return BindingErrors.Contended;
            }
        }
    }

    /// <summary>
    /// Ends the target's binding now: unbind at the provider (its "no such binding" means already gone there), then
    /// Released with BindingReleased. A binding that has already ended is answered as it is (idempotent).
    /// </summary>
    public async Task<Result<Binding>> ReleaseAsync(BindingTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        for (var lost = 0; ; )
        {
            var found = await FoundAsync(target, cancellationToken);
            if (found.Error is { } notFound)
            {
                return notFound;
            }

            var binding = found.Value!;
            if (!binding.Status.IsOpen())
            {
                return binding;
            }

            using var commit = CommitScope();
            var unbound = await provider.UnbindSubscriptionAsync(binding.Subscription(), commit.Token);
            if (unbound.Error is { } error && error.Kind != ProviderErrorKind.SubscriptionNotFound)
            {
                LogUnbindFailed(logger, binding.Id, binding.BusinessLine, error.Kind, error.Code);
                return ProviderErrors.ToError(error, binding.PoolKey, binding.ExpectCity);
            }

            binding.Release(ReleaseReason.Cancelled, clock.GetUtcNow());
            if (await bindings.TrySaveAsync(commit.Token))
            {
                TagRequest(binding.Id);
                LogReleased(logger, binding.Id, binding.BusinessLine);
                return binding;
            }

            if (++lost >= MaxLostRaces)
            {
                return BindingErrors.Contended;
            }
        }
    }

    /// <summary>
    /// The expiry sweeper's batch: in one transaction, locks up to <paramref name="batchSize"/> due Active bindings
    /// that no other replica holds, expires them and saves them with their events (the provider expires its side by
    /// itself). Returns how many expired and how late the oldest was.
    /// </summary>
    public Task<ExpiryBatch> ExpireDueAsync(int batchSize, CancellationToken cancellationToken) =>
        bindings.InTransactionAsync(async ct =>
        {
            var now = clock.GetUtcNow();
            var due = await bindings.LockDueAsync(now, batchSize, ct);
            if (due.Count == 0)
            {
                return new ExpiryBatch(0, TimeSpan.Zero);
            }

            var lag = now - due.Min(b => b.ExpiresAt);
            foreach (var binding in due)
            {
                binding.Expire(now);
            }

            // Locked rows cannot be changed by others: a lost race here is a bug, not contention.
            if (!await bindings.TrySaveAsync(ct))
            {
                throw new InvalidOperationException("Bindings locked for expiry were changed by someone else.");
            }

            return new ExpiryBatch(due.Count, lag);
        }, cancellationToken);

    /// <summary>
    /// The reconciler found the provider's binding of a Pending binding: Active with BindingCreated. False when the
    /// binding is no longer Pending (its request or another replica settled it).
    /// </summary>
    public Task<bool> AdoptAsync(BindingId id, ProviderBinding found, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(found);
        return SettleAsync(id, b => b.Activate(found.SubsId, found.SecretNo, clock.GetUtcNow(), found.Extension), cancellationToken);
    }

    /// <summary>The reconciler walked the whole pool and the provider never bound it: Failed (<c>provider.not_bound</c>).</summary>
    public Task<bool> FailNotBoundAsync(BindingId id, CancellationToken cancellationToken) =>
        SettleAsync(id, b => b.Fail(BindingErrors.NotBoundAtProvider, clock.GetUtcNow()), cancellationToken);

    /// <summary>
    /// The drift check found that the provider no longer has an Active binding before its expiry: Released
    /// (EndedAtProvider), so the order can be protected again. False when the binding changed since
    /// <paramref name="seenVersion"/> (it is checked again later).
    /// </summary>
    public async Task<bool> EndAtProviderAsync(BindingId id, int seenVersion, CancellationToken cancellationToken)
    {
        var binding = await bindings.FindByIdAsync(id, cancellationToken);
        if (binding is not { Status: BindingStatus.Active } || binding.Version != seenVersion)
        {
            return false;
        }

        binding.Release(ReleaseReason.EndedAtProvider, clock.GetUtcNow());
        return await bindings.TrySaveAsync(cancellationToken);
    }

    private async Task<bool> SettleAsync(BindingId id, Action<Binding> settle, CancellationToken cancellationToken)
    {
        var binding = await bindings.FindByIdAsync(id, cancellationToken);
        if (binding is not { Status: BindingStatus.Pending })
        {
            return false;
        }

        settle(binding);
        return await bindings.TrySaveAsync(cancellationToken);
    }

    /// <summary>The target's binding with the expiry rule applied: one past its expiry is expired first.</summary>
    private async Task<Binding?> CurrentAsync(BindingTarget target, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var binding = await target.FindAsync(bindings, cancellationToken);
            var now = clock.GetUtcNow();
            if (binding is null || !binding.IsDue(now) || attempt > MaxLostRaces)
            {
                return binding;
            }

            binding.Expire(now);
            if (await bindings.TrySaveAsync(cancellationToken))
            {
                LogExpiredWhenMet(logger, binding.Id, binding.BusinessLine);
                return binding;
            }

            // The sweeper or a concurrent request ended it first: read what it left.
        }
    }

    /// <summary>The target's binding once it is not Pending (null when there is none), or <see cref="BindingErrors.Pending"/>.</summary>
    private async Task<Result<Binding?>> SettledAsync(BindingTarget target, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + options.Value.PendingWaitTimeout;
        var poll = FirstPoll;
        while (true)
        {
            var binding = await CurrentAsync(target, cancellationToken);
            if (binding is not { Status: BindingStatus.Pending })
            {
                return binding;
            }

            if (clock.GetUtcNow() >= deadline)
            {
                return BindingErrors.Pending;
            }

            await Task.Delay(poll, clock, cancellationToken);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
        }
    }

    /// <summary>The target's settled binding, or the target's not-found error, or <see cref="BindingErrors.Pending"/>.</summary>
    private async Task<Result<Binding>> FoundAsync(BindingTarget target, CancellationToken cancellationToken)
    {
        var settled = await SettledAsync(target, cancellationToken);
        return settled.Error is { } notSettled ? notSettled
            : settled.Value is { } binding ? binding
            : target.NotFound;
    }

    /// <summary>A token for a provider call that changes something and the save after it: not the caller's, bounded by CommitTimeout.</summary>
    private CancellationTokenSource CommitScope() => new(options.Value.CommitTimeout, clock);

    /// <summary>
    /// Names the binding a request created or changed on the request's span (<c>binding.id</c>); the API's one request
    /// log line carries it (docs/operations.md, 'Logs'), so the lines below are Debug: one line per request.
    /// </summary>
    private static void TagRequest(BindingId id) => Activity.Current?.SetTag(BindingIdTag, id.Value.ToString());

    /// <summary>The span tag naming the binding a request acted on.</summary>
    public const string BindingIdTag = "binding.id";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Protected {BusinessLine} order {OrderId} with {Product} binding {BindingId} through {SecretNo}")]
    private static partial void LogBound(ILogger logger, BindingId bindingId, BusinessLine businessLine, string orderId, BindingProduct product, string secretNo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No virtual number for binding {BindingId} of order {OrderId} in pool {PoolKey}: {Code}")]
    private static partial void LogNoNumber(ILogger logger, BindingId bindingId, string orderId, string poolKey, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider refused binding {BindingId} for order {OrderId}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogBindRefused(ILogger logger, BindingId bindingId, string orderId, ProviderErrorKind errorKind, string providerCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binding {BindingId} for order {OrderId} left Pending for the reconciler: {ErrorKind} ({ProviderCode}), outcome unknown")]
    private static partial void LogBindUnsettled(ILogger logger, BindingId bindingId, string orderId, ProviderErrorKind errorKind, string providerCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Changed {BusinessLine} binding {BindingId}: {Change}")]
    private static partial void LogChanged(ILogger logger, BindingId bindingId, BusinessLine businessLine, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider refused to {Change} binding {BindingId} ({Command}): {ErrorKind} ({ProviderCode})")]
    private static partial void LogChangeRefused(ILogger logger, BindingId bindingId, string change, string command, ProviderErrorKind errorKind, string providerCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Our store refused to {Change} binding {BindingId} ({Rule}) after the provider made it; ours is kept, the drift check puts the provider back")]
    private static partial void LogStoreRefused(ILogger logger, BindingId bindingId, string change, StoreRule rule);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Released {BusinessLine} binding {BindingId}")]
    private static partial void LogReleased(ILogger logger, BindingId bindingId, BusinessLine businessLine);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unbind {BusinessLine} binding {BindingId}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogUnbindFailed(ILogger logger, BindingId bindingId, BusinessLine businessLine, ProviderErrorKind errorKind, string providerCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "{BusinessLine} binding {BindingId} was past its expiry when met: expired it")]
    private static partial void LogExpiredWhenMet(ILogger logger, BindingId bindingId, BusinessLine businessLine);
}

/// <summary>One expiry batch: how many bindings expired and how long after its expiry the oldest was.</summary>
public readonly record struct ExpiryBatch(int Expired, TimeSpan Lag);
