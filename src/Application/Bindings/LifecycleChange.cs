using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;

namespace BindingService.Application.Bindings;

/// <summary>
/// One in-place change of an Active binding, described as data: <see cref="BindingLifecycle.ChangeAsync"/> asks
/// <see cref="Plan"/> what to do with the binding as it is now, sends the step's command to the provider, applies the
/// step's domain method and saves. Ride, delivery and generic use cases only choose which of these to run.
/// </summary>
/// <param name="Name">What the change does, for logs ("set party B").</param>
/// <param name="Plan">Given the binding and the time: already so, refused, or a command and the domain method that records it.</param>
public sealed record LifecycleChange(string Name, Func<Binding, DateTimeOffset, ChangeStep> Plan)
{
    /// <summary>B becomes <paramref name="partyB"/> (UpdateSubscription updateNoB); refused with <paramref name="sameAsA"/> when B would equal A.</summary>
    public static LifecycleChange PartyB(PhoneNumber partyB, Error sameAsA) => new("set party B", (b, _) =>
        b.PartyA == partyB ? ChangeStep.Refuse(sameAsA)
        : b.PartyB == partyB ? ChangeStep.Unchanged
        : ChangeStep.Send(new ProviderCommand.Update(new SubscriptionUpdate.ChangePartyB(b.Subscription(), partyB)), (x, now) => x.ReassignPartyB(partyB, now)));

    /// <summary>The binding ends at <paramref name="expiresAt"/>, to the second (updateExpire).</summary>
    public static LifecycleChange Expiry(DateTimeOffset expiresAt)
    {
        var expiry = Binding.ToTheSecond(expiresAt);
        return new("change the expiry", (b, _) =>
            b.ExpiresAt == expiry ? ChangeStep.Unchanged
            : ChangeStep.Send(new ProviderCommand.Update(new SubscriptionUpdate.ChangeExpiry(b.Subscription(), expiry)), (x, now) => x.ChangeExpiry(expiry, now)));
    }

    /// <summary>Calls are recorded from now on, or no longer (updateIsRecordingEnabled).</summary>
    public static LifecycleChange Recording(bool enabled) => new("set recording", (b, _) =>
        b.RecordingEnabled == enabled ? ChangeStep.Unchanged
        : ChangeStep.Send(new ProviderCommand.Update(new SubscriptionUpdate.ChangeRecording(b.Subscription(), enabled)), (x, now) => x.SetRecording(enabled, now)));

    /// <summary>Sets or clears the one-way call restriction (updateCallRestrict).</summary>
    public static LifecycleChange CallRestriction(CallRestriction restriction) => new("restrict calls", (b, _) =>
        b.CallRestriction == restriction ? ChangeStep.Unchanged
        : ChangeStep.Send(new ProviderCommand.Update(new SubscriptionUpdate.ChangeCallRestriction(b.Subscription(), restriction)), (x, now) => x.SetCallRestriction(restriction, now)));

    /// <summary>AXG: the G group <paramref name="groupId"/> of <paramref name="poolKey"/> now reaches A (updateAxgGroup).</summary>
    public static LifecycleChange Group(long groupId, string poolKey) => new("change the group", (b, _) =>
        b.Product != BindingProduct.Axg ? ChangeStep.Refuse(Error.Unprocessable("binding.not_axg", "Only an AXG binding has a G group."))
        : b.PoolKey != poolKey ? ChangeStep.Refuse(GenericBindings.GenericBindingErrors.GroupInOtherPool)
        : b.GroupId == groupId ? ChangeStep.Unchanged
        : ChangeStep.Send(new ProviderCommand.Update(new SubscriptionUpdate.ChangeGroup(b.Subscription(), groupId)), (x, now) => x.ChangeGroup(groupId, now)));

    /// <summary>
    /// The trip or order completed: the binding lives on until now + <paramref name="grace"/> (updateExpire) and records
    /// when it completed. Completing again changes nothing (the grace period already runs).
    /// </summary>
    public static LifecycleChange Complete(TimeSpan grace) => new("complete", (b, now) =>
    {
        if (b.CompletedAt is not null)
        {
            return ChangeStep.Unchanged;
        }

        var graceUntil = Binding.ToTheSecond(now + grace);
        return ChangeStep.Send(new ProviderCommand.Update(new SubscriptionUpdate.ChangeExpiry(b.Subscription(), graceUntil)), (x, at) => x.Complete(graceUntil, at));
    });

    /// <summary>
    /// AXN extension: the waybill's tracking number is attached (AddAxnTrackNo). A different number already attached is
    /// refused with <paramref name="otherAttached"/> (the provider cannot detach it); other products with <paramref name="notSupported"/>.
    /// </summary>
    public static LifecycleChange TrackingNumber(string trackingNumber, Error notSupported, Error otherAttached) => new("attach a tracking number", (b, _) =>
        b.Product != BindingProduct.AxnExtension ? ChangeStep.Refuse(notSupported)
        : b.TrackingNumber == trackingNumber ? ChangeStep.Unchanged
        : b.TrackingNumber is not null ? ChangeStep.Refuse(otherAttached)
        : ChangeStep.Send(new ProviderCommand.AttachTrackingNumber(b.Subscription(), trackingNumber), (x, now) => x.AttachTrackingNumber(trackingNumber, now)));
}

/// <summary>What one change does to the binding as it is: nothing (already so), a refusal, or a command and its domain method.</summary>
public sealed record ChangeStep
{
    private ChangeStep(ProviderCommand? command, Func<Binding, DateTimeOffset, bool>? apply, Error? refusal)
    {
        Command = command;
        Apply = apply;
        Refusal = refusal;
    }

    /// <summary>The binding already is as asked: no provider call, no event (an idempotent repeat).</summary>
    public static ChangeStep Unchanged { get; } = new(null, null, null);

    public ProviderCommand? Command { get; }

    public Func<Binding, DateTimeOffset, bool>? Apply { get; }

    public Error? Refusal { get; }

    public static ChangeStep Refuse(Error error) => new(null, null, error);

    /// <summary>Send <paramref name="command"/>, then record it with <paramref name="apply"/>.</summary>
    public static ChangeStep Send(ProviderCommand command, Func<Binding, DateTimeOffset, bool> apply) => new(command, apply, null);
}

/// <summary>A change the provider must make before we record it.</summary>
public abstract record ProviderCommand
{
    /// <summary>UpdateSubscription with one operation.</summary>
    public sealed record Update(SubscriptionUpdate Value) : ProviderCommand;

    /// <summary>AddAxnTrackNo.</summary>
    public sealed record AttachTrackingNumber(SubscriptionRef Subscription, string TrackingNumber) : ProviderCommand;

    /// <summary>Sends this command to <paramref name="provider"/>.</summary>
    internal Task<ProviderResult<Unit>> SendAsync(IPrivacyNumberProvider provider, CancellationToken cancellationToken) => this switch
    {
        Update update => provider.UpdateSubscriptionAsync(update.Value, cancellationToken),
        AttachTrackingNumber attach => provider.AttachTrackingNumberAsync(attach.Subscription, attach.TrackingNumber, cancellationToken),
        _ => throw new InvalidOperationException($"Unknown provider command {GetType().Name}."),
    };

    /// <summary>The command's name for logs (never its values: they may hold phone numbers).</summary>
    public string Name => this switch
    {
        Update update => update.Value.GetType().Name,
        _ => GetType().Name,
    };
}

/// <summary>How a binding is addressed at the provider.</summary>
public static class BindingSubscription
{
    /// <summary>The provider-side binding of an Active (or ended) binding: its pool, SubsId and X.</summary>
    public static SubscriptionRef Subscription(this Binding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (binding.SubsId is null || binding.SecretNo is null)
        {
            throw new InvalidOperationException($"Binding {binding.Id} has no provider binding (it is {binding.Status}).");
        }

        return new SubscriptionRef(binding.PoolKey, binding.SubsId, binding.SecretNo);
    }
}
