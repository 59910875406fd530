using System.Globalization;
using BindingService.Application.GenericBindings;

namespace BindingService.Api.OpenApi;

/// <summary>
/// The OpenAPI description of the G-group endpoints (Endpoints/Groups.cs): one example per success response and per
/// specific problem; the other problems get the representative ones of <see cref="ProblemExamples"/>.
/// </summary>
internal static class GroupsDocs
{
    public const string Tag = "G groups";

    public static RouteHandlerBuilder Create(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Create a G group in an AXG pool (CreateAxgGroup)")
        .WithDescription(
            "The pool defaults to the configured AXG pool. name 1-128 characters (the provider names it by its GroupId otherwise), remark up to 256, " +
            "members up to 200 phone numbers (repeats dropped; may be empty, but an AXG binding needs at least one). Members are stored encrypted and shown masked.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithRequestExample(Example.CreateBody)
        .WithResponseExample(StatusCodes.Status201Created, Example.Group, "Created; Location is the group's URL.");

    public static RouteHandlerBuilder Get(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Read a G group (members masked)")
        .ProducesErrors(StatusCodes.Status404NotFound)
        .WithResponseExample(StatusCodes.Status200OK, Example.Group);

    public static RouteHandlerBuilder OverwriteMembers(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Replace all members of a G group (OperateAxgGroup overwriteNumbers)")
        .WithDescription("1 to 200 numbers. Idempotent: the same list again changes nothing.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithRequestExample(Example.MembersBody)
        .WithResponseExample(StatusCodes.Status200OK, Example.Group);

    public static RouteHandlerBuilder AddMembers(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Add members to a G group (OperateAxgGroup addNumbers)")
        .WithDescription("1 to 200 numbers; numbers already in the group are ignored. The group holds at most 200 (422 group.too_many_members).")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithRequestExample(Example.MembersBody)
        .WithResponseExample(StatusCodes.Status200OK, Example.Group)
        .WithResponseExample(StatusCodes.Status422UnprocessableEntity, ProblemExamples.Problem(422, "group.too_many_members", "A G group holds at most 200 numbers.", Example.MembersInstance));

    public static RouteHandlerBuilder DeleteMembers(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Delete members from a G group (OperateAxgGroup deleteNumbers)")
        .WithDescription(
            "The numbers go in the JSON body, never in the query string (which access logs and proxies record). Numbers not in the group are ignored. " +
            "Emptying a group is allowed; AXG bindings on an empty group then reach nobody new, and new AXG bindings on it are refused.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithRequestExample(Example.MembersBody)
        .WithResponseExample(StatusCodes.Status200OK, Example.Group);

    /// <summary>The values the examples show.</summary>
    private static class Example
    {
        public const string MembersInstance = "/v1/groups/01936f601c2d7e3f9a0b5c6d7e8f9a0b/members";

        public static readonly object CreateBody = new { name = "Hangzhou couriers", remark = "dispatch team A", members = new[] { "13800138000", "13900139000" } };

        public static readonly object MembersBody = new { numbers = new[] { "13700137000", "13600136000" } };

        public static readonly GroupView Group = new(
            Guid.Parse("01936f60-1c2d-7e3f-9a0b-5c6d7e8f9a0b"), "FC100000000000004", 2000000000001, "Hangzhou couriers", "dispatch team A", 2,
            ["138****8000", "139****9000"],
            DateTimeOffset.Parse("2026-11-23T09:00:00Z", CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2026-11-23T09:30:00Z", CultureInfo.InvariantCulture));
    }
}
