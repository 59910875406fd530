using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Groups;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Application.GenericBindings.ChangeGroupMembers;

/// <summary>Add, delete or overwrite members of a G group (OperateAxgGroup), at most 200 numbers per request.</summary>
public sealed record ChangeGroupMembers(string CallerId, string GroupId, GroupMembersOperation Operation, IReadOnlyList<string?>? Numbers);

public sealed partial class ChangeGroupMembersHandler(
    IAxgGroupRepository groups,
    IPrivacyNumberProvider provider,
    IOptions<ProtectionOptions> options,
    TimeProvider clock,
    ILogger<ChangeGroupMembersHandler> logger)
{
    public async Task<Result<GroupView>> HandleAsync(ChangeGroupMembers request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!AxgGroupId.TryParse(request.GroupId, out var id))
        {
            return GenericBindingErrors.GroupNotFound;
        }

        var errors = new ValidationErrors();
        GroupRules.ParseMembers(errors, "numbers", request.Numbers, required: true, out var numbers);
        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        for (var lost = 0; ; )
        {
            var group = await groups.FindAsync(request.CallerId, id, cancellationToken);
            if (group is null)
            {
                return GenericBindingErrors.GroupNotFound;
            }

            if (request.Operation == GroupMembersOperation.Add && group.CountAfterAdding(numbers) > AxgGroup.MaxMembers)
            {
                return GroupRules.TooManyMembers;
            }

            // Changed in memory first to learn whether anything changes; saved only after the provider agreed.
            var now = clock.GetUtcNow();
            var changed = request.Operation switch
            {
                GroupMembersOperation.Add => group.AddMembers(numbers, now),
                GroupMembersOperation.Delete => group.RemoveMembers(numbers, now),
                GroupMembersOperation.Overwrite => group.ReplaceMembers(numbers, now),
                _ => throw new ArgumentOutOfRangeException(nameof(request), request.Operation, null),
            };
            if (!changed)
            {
                return GroupView.From(group); // idempotent repeat: no provider call
            }

            // Once sent, the change and its save finish even if the caller goes away (docs/architecture.md, "The lifecycle rules").
            using var commit = new CancellationTokenSource(options.Value.CommitTimeout, clock);
            var result = await provider.ChangeGroupMembersAsync(group.PoolKey, group.ProviderGroupId, request.Operation, numbers, commit.Token);
            if (result.Error is { } error)
            {
                LogChangeFailed(logger, group.Id, request.Operation, error.Kind, error.Code);
                return ProviderErrors.ToError(error, group.PoolKey, null);
            }

            if (await groups.TrySaveAsync(group, commit.Token))
            {
                LogChanged(logger, group.Id, request.Operation, numbers.Count, group.MemberCount);
                return GroupView.From(group);
            }

            // A concurrent change won; reload and apply this one on top of it (a bounded number of times).
            if (++lost >= BindingLifecycle.MaxLostRaces)
            {
                return BindingErrors.Contended;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "G group {GroupId}: {Operation} of {Count} numbers, now {MemberCount} members")]
    private static partial void LogChanged(ILogger logger, AxgGroupId groupId, GroupMembersOperation operation, int count, int memberCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not change the members of G group {GroupId} ({Operation}): {ErrorKind} ({ProviderCode})")]
    private static partial void LogChangeFailed(ILogger logger, AxgGroupId groupId, GroupMembersOperation operation, ProviderErrorKind errorKind, string providerCode);
}
