using BindingService.Domain.Groups;

namespace BindingService.Application.GenericBindings;

/// <summary>A G group as callers see it: members masked.</summary>
public sealed record GroupView(
    Guid GroupId,
    string PoolKey,
    long ProviderGroupId,
    string? Name,
    string? Remark,
    int MemberCount,
    IReadOnlyList<string> Members,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static GroupView From(AxgGroup group) => new(
        group.Id.Value,
        group.PoolKey,
        group.ProviderGroupId,
        group.Name,
        group.Remark,
        group.MemberCount,
        [.. group.Members.Select(m => m.Number.Masked)],
        group.CreatedAt,
        group.UpdatedAt);
}
