using BindingService.Application.Abstractions;
using BindingService.Domain.Common;

namespace BindingService.Application.Tests.Fakes;

/// <summary>
/// <see cref="IPrivacyNumberProvider"/> that answers what a test scripts (success by default) and records every call,
/// with the cancellation token it came with. <see cref="Gate"/> holds calls until a test releases them.
/// </summary>
public sealed class FakeProvider : IPrivacyNumberProvider
{
    private int _subs;

    /// <summary>Every call, by action name, in order.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>The token each call was given.</summary>
    public List<CancellationToken> Tokens { get; } = [];

    public List<BindRequest> Binds { get; } = [];

    public List<SubscriptionUpdate> Updates { get; } = [];

    /// <summary>The answer to the next bind; null means success (a new SubsId on X 17000000001).</summary>
    public Func<BindRequest, ProviderResult<ProviderBinding>>? OnBind { get; set; }

    public Func<SubscriptionUpdate, ProviderResult<Unit>>? OnUpdate { get; set; }

    public Func<SubscriptionRef, ProviderResult<Unit>>? OnUnbind { get; set; }

    /// <summary>When set, every call waits for it (and does not observe its token: a sent request is out of our hands).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completes when a call has arrived and is waiting at <see cref="Gate"/>.</summary>
    public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<ProviderResult<ProviderBinding>> BindAsync(BindRequest request, CancellationToken cancellationToken)
    {
        await EnterAsync("Bind", cancellationToken);
        Binds.Add(request);
        return OnBind?.Invoke(request) ?? new ProviderBinding($"S{Interlocked.Increment(ref _subs)}", request.PhoneNoX ?? "17000000001", request.Extension ?? "1");
    }

    public async Task<ProviderResult<Unit>> UpdateSubscriptionAsync(SubscriptionUpdate update, CancellationToken cancellationToken)
    {
        await EnterAsync("UpdateSubscription", cancellationToken);
        Updates.Add(update);
        return OnUpdate?.Invoke(update) ?? Unit.Value;
    }

    public async Task<ProviderResult<Unit>> UnbindSubscriptionAsync(SubscriptionRef subscription, CancellationToken cancellationToken)
    {
        await EnterAsync("UnbindSubscription", cancellationToken);
        return OnUnbind?.Invoke(subscription) ?? Unit.Value;
    }

    public async Task<ProviderResult<Unit>> AttachTrackingNumberAsync(SubscriptionRef subscription, string trackingNumber, CancellationToken cancellationToken)
    {
        await EnterAsync("AddAxnTrackNo", cancellationToken);
        return Unit.Value;
    }

    public Task<ProviderResult<SubscriptionDetail>> QuerySubscriptionDetailAsync(SubscriptionRef subscription, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Not used by the lifecycle engine.");

    public Task<ProviderResult<IReadOnlyList<string>>> FindSubscriptionIdsAsync(string poolKey, string secretNo, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Not used by the lifecycle engine.");

    public Task<ProviderResult<IReadOnlyList<TrackedBinding>>> FindByTrackingNumberAsync(string trackingNumber, string? secretNo, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Not used by the lifecycle engine.");

    public Task<ProviderResult<long>> CreateGroupAsync(string poolKey, string? name, string? remark, IReadOnlyList<PhoneNumber> members, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Not used by the lifecycle engine.");

    public Task<ProviderResult<Unit>> ChangeGroupMembersAsync(string poolKey, long groupId, GroupMembersOperation operation, IReadOnlyList<PhoneNumber> numbers, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Not used by the lifecycle engine.");

    public Task<ProviderResult<SecretNumberInfo>> QuerySecretNumberAsync(string poolKey, string secretNo, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Not used by the lifecycle engine.");

    private async Task EnterAsync(string action, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add(action);
            Tokens.Add(cancellationToken);
        }

        if (Gate is { } gate)
        {
            Arrived.TrySetResult();
            await gate.Task;
        }
    }
}
