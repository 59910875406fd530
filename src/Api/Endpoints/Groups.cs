using BindingService.Api.Infrastructure;
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
        var group = app.MapGroup("/v1/groups").WithTags("G groups");

        group.MapPost("/", CreateGroup)
            .WithName(nameof(CreateGroup))
            .WithSummary("Create a G group in an AXG pool (CreateAxgGroup)")
            .WithDescription(
                "The pool defaults to the configured AXG pool. name 1-128 characters (the provider names it by its GroupId otherwise), remark up to 256, " +
                "members up to 200 phone numbers (repeats dropped; may be empty, but an AXG binding needs at least one). Members are stored encrypted and shown masked.")
            .WithIdempotency<CreateGroupBody>()
            .WithRequestExample(Examples.CreateBody)
            .WithResponseExample(StatusCodes.Status201Created, Examples.Group, "Created; Location is the group's URL.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/{groupId}", GetGroup)
            .WithName(nameof(GetGroup))
            .WithSummary("Read a G group (members masked)")
            .WithResponseExample(StatusCodes.Status200OK, Examples.Group)
            .ProducesErrors(StatusCodes.Status404NotFound);

        group.MapPut("/{groupId}/members", OverwriteGroupMembers)
            .WithName(nameof(OverwriteGroupMembers))
            .WithSummary("Replace all members of a G group (OperateAxgGroup overwriteNumbers)")
            .WithDescription("1 to 200 numbers. Idempotent: the same list again changes nothing.")
            .WithIdempotency<GroupMembersBody>()
            .WithRequestExample(Examples.MembersBody)
            .WithResponseExample(StatusCodes.Status200OK, Examples.Group)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/{groupId}/members", AddGroupMembers)
            .WithName(nameof(AddGroupMembers))
            .WithSummary("Add members to a G group (OperateAxgGroup addNumbers)")
            .WithDescription("1 to 200 numbers; numbers already in the group are ignored. The group holds at most 200 (422 group.too_many_members).")
            .WithIdempotency<GroupMembersBody>()
            .WithRequestExample(Examples.MembersBody)
            .WithResponseExample(StatusCodes.Status200OK, Examples.Group)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
            .WithResponseExample(StatusCodes.Status422UnprocessableEntity, Bindings.Examples.Problem(422, "group.too_many_members", "A G group holds at most 200 numbers."));

        group.MapDelete("/{groupId}/members", DeleteGroupMembers)
            .WithName(nameof(DeleteGroupMembers))
            .WithSummary("Delete members from a G group (OperateAxgGroup deleteNumbers)")
            .WithDescription(
                "The numbers go in the JSON body, never in the query string (which access logs and proxies record). Numbers not in the group are ignored. " +
                "Emptying a group is allowed; AXG bindings on an empty group then reach nobody new, and new AXG bindings on it are refused.")
            .WithRequestExample(Examples.MembersBody)
            .WithResponseExample(StatusCodes.Status200OK, Examples.Group)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable);

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
        CreateGroupBody? body,
        CreateGroupHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResult.MissingBody();
        }

        var result = await handler.HandleAsync(new CreateGroup(caller.CallerId, body.PoolKey, body.Name, body.Remark, body.Members), cancellationToken);
        return result.Error is { } error
            ? new ErrorResult(error)
            : TypedResults.Created($"/v1/groups/{result.Value!.GroupId:N}", result.Value);
    }

    public static async Task<Results<Ok<GroupView>, ErrorResult>> GetGroup(
        string groupId,
        GetGroupHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new GetGroup(caller.CallerId, groupId), cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    public static Task<Results<Ok<GroupView>, ErrorResult>> OverwriteGroupMembers(
        string groupId, GroupMembersBody? body, ChangeGroupMembersHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        ChangeAsync(groupId, GroupMembersOperation.Overwrite, body, handler, caller, cancellationToken);

    public static Task<Results<Ok<GroupView>, ErrorResult>> AddGroupMembers(
        string groupId, GroupMembersBody? body, ChangeGroupMembersHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        ChangeAsync(groupId, GroupMembersOperation.Add, body, handler, caller, cancellationToken);

    public static Task<Results<Ok<GroupView>, ErrorResult>> DeleteGroupMembers(
        string groupId, [FromBody] GroupMembersBody? body, ChangeGroupMembersHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        ChangeAsync(groupId, GroupMembersOperation.Delete, body, handler, caller, cancellationToken);

    private static async Task<Results<Ok<GroupView>, ErrorResult>> ChangeAsync(
        string groupId, GroupMembersOperation operation, GroupMembersBody? body, ChangeGroupMembersHandler handler, CallerContext caller, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResult.MissingBody();
        }

        var result = await handler.HandleAsync(new ChangeGroupMembers(caller.CallerId, groupId, operation, body.Numbers), cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    private static class Examples
    {
        public static readonly object CreateBody = new { name = "Hangzhou couriers", remark = "dispatch team A", members = new[] { "13800138000", "13900139000" } };

        public static readonly object MembersBody = new { numbers = new[] { "13700137000", "13600136000" } };

        public static readonly GroupView Group = new(
            Guid.Parse("01936f60-1c2d-7e3f-9a0b-5c6d7e8f9a0b"), "FC100000000000004", 2000000000001, "Hangzhou couriers", "dispatch team A", 2,
            ["138****8000", "139****9000"],
            DateTimeOffset.Parse("2026-11-23T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2026-11-23T09:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
    }
}
