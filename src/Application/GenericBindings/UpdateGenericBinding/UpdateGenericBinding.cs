using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Application.GenericBindings.CreateGenericBinding;
using BindingService.Application.GenericBindings.GetGenericBinding;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Domain.Groups;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Application.GenericBindings.UpdateGenericBinding;

/// <summary>
/// Change an active generic binding in place. Each field given is one UpdateSubscription call (provider first,
/// then the domain change and its BindingUpdated event, saved), in the order partyB, expiresAt, recording,
/// callRestriction, groupId. A field that already has the requested value changes nothing. If a later change
/// fails, the earlier ones stay applied (each was saved with its event) and the error is returned.
/// </summary>
public sealed record UpdateGenericBinding(
    string CallerId,
    string BindingId,
    string? PartyB,
    DateTimeOffset? ExpiresAt,
    bool? Recording,
    string? CallRestriction,
    string? GroupId);

public sealed partial class UpdateGenericBindingHandler(
    IBindingRepository bindings,
    IAxgGroupRepository groups,
    IPrivacyNumberProvider provider,
    GenericBindingViews views,
    IOptions<ProtectionOptions> options,
    TimeProvider clock,
    ILogger<UpdateGenericBindingHandler> logger)
{
    public async Task<Result<GenericBindingView>> HandleAsync(UpdateGenericBinding request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var invalid = Validate(request, clock.GetUtcNow(), options.Value);
        if (invalid is not null)
        {
            return invalid;
        }

        AxgGroup? group = null;
        if (request.GroupId is not null)
        {
            AxgGroupId.TryParse(request.GroupId, out var groupId);
            group = await groups.FindAsync(request.CallerId, groupId, cancellationToken);
            if (group is null)
            {
                return GenericBindingErrors.GroupNotFound;
            }

            if (group.MemberCount == 0)
            {
                return Error.Unprocessable("group.empty", "An AXG binding needs a G group with at least one number.");
            }
        }

        var changes = new List<Change>();
        if (request.PartyB is not null)
        {
            var partyB = PhoneNumber.Parse(request.PartyB);
            changes.Add(new Change(
                b => b.PartyB == partyB,
                b => b.PartyA == partyB ? Error.Validation(new Dictionary<string, string[]> { ["partyB"] = ["Must differ from party A."] }) : null,
                s => new SubscriptionUpdate.ChangePartyB(s, partyB),
                (b, now) => b.ReassignPartyB(partyB, now)));
        }

        if (request.ExpiresAt is { } expiresAt)
        {
            var expiry = expiresAt.ToUniversalTime();
            changes.Add(new Change(
                b => b.ExpiresAt == new DateTimeOffset(expiry.Ticks - (expiry.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
                _ => null,
                s => new SubscriptionUpdate.ChangeExpiry(s, expiry),
                (b, now) => b.ChangeExpiry(expiry, now)));
        }

        if (request.Recording is { } recording)
        {
            changes.Add(new Change(
                b => b.RecordingEnabled == recording,
                _ => null,
                s => new SubscriptionUpdate.ChangeRecording(s, recording),
                (b, now) => b.SetRecording(recording, now)));
        }

        if (request.CallRestriction is not null)
        {
            WireNames.TryParseCallRestriction(request.CallRestriction, out var restriction);
            changes.Add(new Change(
                b => b.CallRestriction == restriction,
                _ => null,
                s => new SubscriptionUpdate.ChangeCallRestriction(s, restriction),
                (b, now) => b.SetCallRestriction(restriction, now)));
        }

        if (group is not null)
        {
            changes.Add(new Change(
                b => b.GroupId == group.ProviderGroupId,
                b => b.Product != BindingProduct.Axg
                    ? Error.Unprocessable("binding.not_axg", "Only an AXG binding has a G group.")
                    : b.PoolKey != group.PoolKey ? Error.Unprocessable("group.other_pool", "The G group belongs to another pool than the binding.") : null,
                s => new SubscriptionUpdate.ChangeGroup(s, group.ProviderGroupId),
                (b, now) => b.ChangeGroup(group.ProviderGroupId, now)));
        }

        Binding? binding = null;
        foreach (var change in changes)
        {
            var applied = await ApplyAsync(request, change, cancellationToken);
            if (applied.Error is { } error)
            {
                return error;
            }

            binding = applied.Value;
        }

        return await views.ViewAsync(binding!, cancellationToken);
    }

    /// <summary>Null when valid; otherwise a validation error naming each offending field.</summary>
    public static Error? Validate(UpdateGenericBinding request, DateTimeOffset now, ProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new ValidationErrors();
        if (request is { PartyB: null, ExpiresAt: null, Recording: null, CallRestriction: null, GroupId: null })
        {
            errors.Add("body", "Give at least one of partyB, expiresAt, recording, callRestriction, groupId.");
        }

        if (request.PartyB is not null && !PhoneNumber.TryParse(request.PartyB, out _))
        {
            errors.Add("partyB", "An 11-digit mainland mobile number or a landline with area code, digits only.");
        }

        if (request.CallRestriction is not null && !WireNames.TryParseCallRestriction(request.CallRestriction, out _))
        {
            errors.Add("callRestriction", $"Must be {WireNames.CallRestrictionValues}.");
        }

        if (request.GroupId is not null && !AxgGroupId.TryParse(request.GroupId, out _))
        {
            errors.Add("groupId", "Must be the id of a G group created through /v1/groups.");
        }

        CreateGenericBindingValidator.ValidateExpiry(errors, request.ExpiresAt, now, options);
        return errors.IsEmpty ? null : errors.ToError();
    }

    /// <summary>One change: provider first, then the domain method and save; a lost save is retried on the reloaded binding.</summary>
    private async Task<Result<Binding>> ApplyAsync(UpdateGenericBinding request, Change change, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + options.Value.PendingWaitTimeout;
        while (true)
        {
            var binding = await GetGenericBindingHandler.FindAsync(bindings, request.CallerId, request.BindingId, cancellationToken);
            if (binding is null)
            {
                return GenericBindingErrors.NotFound;
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

            if (binding.Status != BindingStatus.Active)
            {
                return GenericBindingErrors.NotActive(binding.Status.ToString().ToLowerInvariant());
            }

            if (change.IsAlready(binding))
            {
                return binding; // idempotent repeat: no provider call, no event
            }

            if (change.Refuse(binding) is { } refused)
            {
                return refused;
            }

            var update = change.ToProvider(new SubscriptionRef(binding.PoolKey, binding.SubsId!, binding.SecretNo!));
            var result = await provider.UpdateSubscriptionAsync(update, cancellationToken);
            if (result.Error is { } error)
            {
                LogUpdateFailed(logger, binding.Id, update.GetType().Name, error.Kind, error.Code);
                return ProviderErrors.ToError(error, binding.PoolKey, binding.ExpectCity);
            }

            change.Apply(binding, clock.GetUtcNow());
            if (await bindings.TrySaveAsync(binding, cancellationToken))
            {
                LogUpdated(logger, binding.Id, update.GetType().Name);
                return binding;
            }

            // A concurrent change won; reload and apply this one on top (the provider call is a set, so repeating it is safe).
        }
    }

    private sealed record Change(
        Func<Binding, bool> IsAlready,
        Func<Binding, Error?> Refuse,
        Func<SubscriptionRef, SubscriptionUpdate> ToProvider,
        Func<Binding, DateTimeOffset, bool> Apply);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generic binding {BindingId} changed: {Change}")]
    private static partial void LogUpdated(ILogger logger, BindingId bindingId, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not change generic binding {BindingId} ({Change}): {ErrorKind} ({ProviderCode})")]
    private static partial void LogUpdateFailed(ILogger logger, BindingId bindingId, string change, ProviderErrorKind errorKind, string providerCode);
}
