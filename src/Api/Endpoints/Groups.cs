using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
using BindingService.Application.Abstractions;
using BindingService.Application.GenericBindings;
using BindingService.Application.GenericBindings.ChangeGroupMembers;
using BindingService.Application.GenericBindings.CreateGroup;
using BindingService.Application.GenericBindings.GetGroup;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BindingService.Api.Endpoints;

/// <summary>G number groups for AXG bindings: their members calling X reach A.</summary>
public static class Groups
{
    public static RouteGroupBuilder MapGroups(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/groups").WithTags(GroupsDocs.Tag);
        group.MapPost("/", CreateGroup).WithName(nameof(CreateGroup)).WithIdempotency<CreateGroupBody>().Describe(GroupsDocs.Create);
        group.MapGet("/{groupId}", GetGroup).WithName(nameof(GetGroup)).Describe(GroupsDocs.Get);
        group.MapPut("/{groupId}/members", OverwriteGroupMembers).WithName(nameof(OverwriteGroupMembers)).WithIdempotency<GroupMembersBody>().Describe(GroupsDocs.OverwriteMembers);
        group.MapPost("/{groupId}/members", AddGroupMembers).WithName(nameof(AddGroupMembers)).WithIdempotency<GroupMembersBody>().Describe(GroupsDocs.AddMembers);
        group.MapDelete("/{groupId}/members", DeleteGroupMembers).WithName(nameof(DeleteGroupMembers)).Describe(GroupsDocs.DeleteMembers);
        return group;
    }

    /// <summary>The body of a group creation.</summary>
    /// <param name="PoolKey">An AXG pool; defaults to the configured one.</param>
    /// <param name="Name">1 to 128 characters.</param>
    /// <param name="Remark">Up to 256 characters.</param>
    /// <param name="Members">Up to 200 phone numbers.</param>
    public sealed record CreateGroupBody(string? PoolKey, string? Name, string? Remark, IReadOnlyList<string?>? Members);

    /// <summary>Numbers to add, delete or set.</summary>
    /// <param name="Numbers">1 to 200 phone numbers.</param>
    public sealed record GroupMembersBody(IReadOnlyList<string?>? Numbers);

    public static async Task<Results<Created<GroupView>, ErrorResult>> CreateGroup(
        CreateGroupBody? body, CreateGroupHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(new CreateGroup(caller.CallerId, body.PoolKey, body.Name, body.Remark, body.Members), cancellationToken))
                .ToCreated(group => $"/v1/groups/{group.GroupId:N}");

    public static async Task<Results<Ok<GroupView>, ErrorResult>> GetGroup(
        string groupId, GetGroupHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new GetGroup(caller.CallerId, groupId), cancellationToken)).ToOk();

    public static Task<Results<Ok<GroupView>, ErrorResult>> OverwriteGroupMembers(
        string groupId, GroupMembersBody? body, ChangeGroupMembersHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        ChangeAsync(groupId, GroupMembersOperation.Overwrite, body, handler, caller, cancellationToken);

    public static Task<Results<Ok<GroupView>, ErrorResult>> AddGroupMembers(
        string groupId, GroupMembersBody? body, ChangeGroupMembersHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        ChangeAsync(groupId, GroupMembersOperation.Add, body, handler, caller, cancellationToken);

    /// <summary>The numbers come in the body (<see cref="FromBodyAttribute"/>: DELETE binds none by default), never in the query string.</summary>
    public static Task<Results<Ok<GroupView>, ErrorResult>> DeleteGroupMembers(
        string groupId, [FromBody] GroupMembersBody? body, ChangeGroupMembersHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        ChangeAsync(groupId, GroupMembersOperation.Delete, body, handler, caller, cancellationToken);

    private static async Task<Results<Ok<GroupView>, ErrorResult>> ChangeAsync(
        string groupId, GroupMembersOperation operation, GroupMembersBody? body, ChangeGroupMembersHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(new ChangeGroupMembers(caller.CallerId, groupId, operation, body.Numbers), cancellationToken)).ToOk();
}
