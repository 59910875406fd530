using BindingService.Application.Common;
using BindingService.Domain.Groups;

namespace BindingService.Application.GenericBindings.GetGroup;

/// <summary>Read one of the caller's G groups (members masked).</summary>
public sealed record GetGroup(string CallerId, string GroupId);

public sealed class GetGroupHandler(IAxgGroupRepository groups)
{
    public async Task<Result<GroupView>> HandleAsync(GetGroup request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!AxgGroupId.TryParse(request.GroupId, out var id))
        {
            return GenericBindingErrors.GroupNotFound;
        }

        var group = await groups.FindAsync(request.CallerId, id, cancellationToken);
        return group is null ? GenericBindingErrors.GroupNotFound : GroupView.From(group);
    }
}
