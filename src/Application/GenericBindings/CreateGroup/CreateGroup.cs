using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Groups;
using Microsoft.Extensions.Logging;

namespace BindingService.Application.GenericBindings.CreateGroup;

/// <summary>Create a G group in an AXG pool (CreateAxgGroup): the pool given, else the configured AXG pool.</summary>
public sealed record CreateGroup(string CallerId, string? PoolKey, string? Name, string? Remark, IReadOnlyList<string?>? Members);

public sealed partial class CreateGroupHandler(
    IAxgGroupRepository groups,
    IPrivacyNumberProvider provider,
    IProviderPools pools,
    TimeProvider clock,
    ILogger<CreateGroupHandler> logger)
{
    public async Task<Result<GroupView>> HandleAsync(CreateGroup request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new ValidationErrors();
        if (request.PoolKey is { } pool && (pool.Length is 0 or > 64 || !pool.All(char.IsAsciiLetterOrDigit)))
        {
            errors.Add("poolKey", "Must be 1 to 64 letters or digits.");
        }

        if (request.Name is { } name && (name.Length is 0 or > AxgGroup.MaxNameLength || name.Any(char.IsControl)))
        {
            errors.Add("name", $"Must be 1 to {AxgGroup.MaxNameLength} printable characters.");
        }

        if (request.Remark is { } remark && (remark.Length > AxgGroup.MaxRemarkLength || remark.Any(char.IsControl)))
        {
            errors.Add("remark", $"Must be at most {AxgGroup.MaxRemarkLength} printable characters.");
        }

        GroupRules.ParseMembers(errors, "members", request.Members, required: false, out var members);
        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        var poolKey = request.PoolKey ?? pools.PoolFor(BindingProduct.Axg);
        if (!pools.Allows(request.CallerId, poolKey))
        {
            return GenericBindingErrors.PoolNotAllowed;
        }

        var created = await provider.CreateGroupAsync(poolKey, request.Name, request.Remark, members, cancellationToken);
        if (created.Error is { } error)
        {
            LogCreateFailed(logger, poolKey, error.Kind, error.Code);
            return ProviderErrors.ToError(error, poolKey, null);
        }

        var group = AxgGroup.Created(AxgGroupId.New(), request.CallerId, poolKey, created.Value, request.Name, request.Remark, members, clock.GetUtcNow());
        await groups.AddAsync(group, cancellationToken);
        LogCreated(logger, group.Id, poolKey, group.ProviderGroupId, group.MemberCount);
        return GroupView.From(group);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created G group {GroupId} in pool {PoolKey} (provider GroupId {ProviderGroupId}) with {MemberCount} members")]
    private static partial void LogCreated(ILogger logger, AxgGroupId groupId, string poolKey, long providerGroupId, int memberCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create a G group in pool {PoolKey}: {ErrorKind} ({ProviderCode})")]
    private static partial void LogCreateFailed(ILogger logger, string poolKey, ProviderErrorKind errorKind, string providerCode);
}
