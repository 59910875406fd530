using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Application.GenericBindings.CreateGenericBinding;
using BindingService.Application.GenericBindings.GetGenericBinding;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Domain.Groups;
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

public sealed class UpdateGenericBindingHandler(
    BindingLifecycle lifecycle,
    IAxgGroupRepository groups,
    GenericBindingViews views,
    IOptions<ProtectionOptions> options,
    TimeProvider clock)
{
    public async Task<Result<GenericBindingView>> HandleAsync(UpdateGenericBinding request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Validate(request, clock.GetUtcNow(), options.Value) is { } invalid)
        {
            return invalid;
        }

        var changes = new List<LifecycleChange>();
        if (request.PartyB is not null)
        {
            changes.Add(LifecycleChange.PartyB(
                PhoneNumber.Parse(request.PartyB),
                Error.Validation(new Dictionary<string, string[]> { ["partyB"] = ["Must differ from party A."] })));
        }

        if (request.ExpiresAt is { } expiresAt)
        {
            changes.Add(LifecycleChange.Expiry(expiresAt));
        }

        if (request.Recording is { } recording)
        {
            changes.Add(LifecycleChange.Recording(recording));
        }

        if (request.CallRestriction is not null)
        {
            WireNames.TryParseCallRestriction(request.CallRestriction, out var restriction);
            changes.Add(LifecycleChange.CallRestriction(restriction));
        }

        if (request.GroupId is not null)
        {
            AxgGroupId.TryParse(request.GroupId, out var groupId);
            var group = await groups.FindAsync(request.CallerId, groupId, cancellationToken);
            if (group is null)
            {
                return GenericBindingErrors.GroupNotFound;
            }

            if (group.MemberCount == 0)
            {
                return GenericBindingErrors.GroupEmpty;
            }

            changes.Add(LifecycleChange.Group(group.ProviderGroupId, group.PoolKey));
        }

        var target = GetGenericBindingHandler.Target(request.CallerId, request.BindingId);
        Result<Binding> result = default;
        foreach (var change in changes)
        {
            result = await lifecycle.ChangeAsync(target, change, cancellationToken);
            if (result.Error is not null)
            {
                break; // the earlier changes stay applied, each saved with its event
            }
        }

        return await views.ViewAsync(result, cancellationToken);
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
}
