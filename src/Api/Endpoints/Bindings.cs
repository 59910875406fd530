using BindingService.Api.Infrastructure;
using BindingService.Application.GenericBindings;
using BindingService.Application.GenericBindings.CreateGenericBinding;
using BindingService.Application.GenericBindings.GetGenericBinding;
using BindingService.Application.GenericBindings.ReleaseGenericBinding;
using BindingService.Application.GenericBindings.UpdateGenericBinding;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>Generic bindings (AXB, AXN, AXN extension, AXG) for other business lines, and G groups.</summary>
public static class Bindings
{
    public static IEndpointRouteBuilder MapBindings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/bindings").WithTags("Generic bindings");

        group.MapPost("/", CreateGenericBinding)
            .WithName(nameof(CreateGenericBinding))
            .WithSummary("Create a binding of any product (AXB, AXN, AXN extension, AXG) with explicit parameters")
            .WithDescription(
                "For business lines other than ride and delivery. The order id is the natural key per caller: repeating the request for an order whose " +
                "binding is open with the same product and parties returns it with 200; other parties or product get 409 until it is deleted. " +
                "AXB needs partyB; AXG needs groupId (a group from POST /v1/groups, whose pool the binding uses). The pool defaults to the configured pool of the product. " +
                "An extension (1-3 digits, AXN extension only) is accepted only by pools where we choose X; otherwise the provider allocates one.")
            .WithIdempotency<CreateBindingBody>()
            .WithRequestExample(Examples.CreateBody)
            .WithResponseExample(StatusCodes.Status201Created, Examples.Binding, "Created; Location is the binding's URL.")
            .WithResponseExample(StatusCodes.Status200OK, Examples.Binding, "The order's open binding, same product and parties (idempotent repeat).")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
            .WithResponseExample(StatusCodes.Status409Conflict, Examples.Problem(409, "order.protected_with_other_parties", "The order is already protected with other parties or another product. Release it first."));

        group.MapGet("/{bindingId}", GetGenericBinding)
            .WithName(nameof(GetGenericBinding))
            .WithSummary("Read a generic binding")
            .WithDescription("Any state: pending, active, failed, released or expired. Parties are masked.")
            .WithResponseExample(StatusCodes.Status200OK, Examples.Binding)
            .ProducesErrors(StatusCodes.Status404NotFound)
            .WithResponseExample(StatusCodes.Status404NotFound, Examples.Problem(404, "binding.not_found", "No generic binding exists with this id."));

        group.MapPatch("/{bindingId}", UpdateGenericBinding)
            .WithName(nameof(UpdateGenericBinding))
            .WithSummary("Change an active binding in place: partyB, expiresAt, recording, callRestriction, groupId (AXG)")
            .WithDescription(
                "Each field given is one UpdateSubscription at the provider and one BindingUpdated event, applied in the order partyB, expiresAt, recording, " +
                "callRestriction, groupId. A field that already has the value changes nothing (no event). If a later change fails, the earlier ones stay applied; " +
                "read the binding to see its state. Only an active binding changes (409 binding.not_active otherwise).")
            .WithIdempotency<UpdateBindingBody>()
            .WithRequestExample(Examples.UpdateBody)
            .WithResponseExample(StatusCodes.Status200OK, Examples.Binding)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
            .WithResponseExample(StatusCodes.Status409Conflict, Examples.Problem(409, "binding.not_active", "Only an active binding can change; this one is released."));

        group.MapDelete("/{bindingId}", ReleaseGenericBinding)
            .WithName(nameof(ReleaseGenericBinding))
            .WithSummary("Delete (unbind) a binding now")
            .WithDescription("Unbinds at the provider and marks the binding released (BindingReleased). Idempotent: a binding that has already ended is returned as it is.")
            .WithResponseExample(StatusCodes.Status200OK, Examples.Released)
            .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
            .WithResponseExample(StatusCodes.Status404NotFound, Examples.Problem(404, "binding.not_found", "No generic binding exists with this id."));

        app.MapGroups();
        return app;
    }

    /// <summary>The body of a create request.</summary>
    /// <param name="Product">axb, axn, axnExtension or axg.</param>
    /// <param name="OrderId">Your order id: 1 to 64 letters, digits, '-', '_', '.', ':'. The natural key of the binding.</param>
    /// <param name="PartyA">A: 11-digit mainland mobile, or landline with area code; digits only.</param>
    /// <param name="PartyB">B: required for axb; for the other products the number A reaches when calling X.</param>
    /// <param name="PoolKey">The provider pool; defaults to the configured pool of the product (for axg, the group's pool).</param>
    /// <param name="City">Preferred city of the virtual number.</param>
    /// <param name="ExpiresAt">When the binding ends; defaults to the configured TTL.</param>
    /// <param name="Extension">axnExtension: a requested extension of 1 to 3 digits.</param>
    /// <param name="GroupId">axg: the id of a G group created through /v1/groups.</param>
    /// <param name="Recording">Whether the provider records calls.</param>
    /// <param name="CallRestriction">none, partyACannotCall or partyBCannotCall.</param>
    public sealed record CreateBindingBody(
        string? Product,
        string? OrderId,
        string? PartyA,
        string? PartyB,
        string? PoolKey,
        string? City,
        DateTimeOffset? ExpiresAt,
        string? Extension,
        string? GroupId,
        bool? Recording,
        string? CallRestriction);

    /// <summary>The body of a change request: give only the fields to change.</summary>
    /// <param name="PartyB">The new B.</param>
    /// <param name="ExpiresAt">The new expiry.</param>
    /// <param name="Recording">Record calls from now on, or stop.</param>
    /// <param name="CallRestriction">none, partyACannotCall or partyBCannotCall.</param>
    /// <param name="GroupId">axg: another G group of the same pool.</param>
    public sealed record UpdateBindingBody(string? PartyB, DateTimeOffset? ExpiresAt, bool? Recording, string? CallRestriction, string? GroupId);

    public static async Task<Results<Created<GenericBindingView>, Ok<GenericBindingView>, ErrorResult>> CreateGenericBinding(
        CreateBindingBody? body,
        CreateGenericBindingHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResult.MissingBody();
        }

        var result = await handler.HandleAsync(
            new CreateGenericBinding(
                caller.CallerId, body.Product, body.OrderId, body.PartyA, body.PartyB, body.PoolKey, body.City, body.ExpiresAt,
                body.Extension, body.GroupId, body.Recording, body.CallRestriction),
            cancellationToken);
        if (result.Error is { } error)
        {
            return new ErrorResult(error);
        }

        var outcome = result.Value!;
        return outcome.Created
            ? TypedResults.Created($"/v1/bindings/{outcome.Binding.BindingId:N}", outcome.Binding)
            : TypedResults.Ok(outcome.Binding);
    }

    public static async Task<Results<Ok<GenericBindingView>, ErrorResult>> GetGenericBinding(
        string bindingId,
        GetGenericBindingHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new GetGenericBinding(caller.CallerId, bindingId), cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<GenericBindingView>, ErrorResult>> UpdateGenericBinding(
        string bindingId,
        UpdateBindingBody? body,
        UpdateGenericBindingHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResult.MissingBody();
        }

        var result = await handler.HandleAsync(
            new UpdateGenericBinding(caller.CallerId, bindingId, body.PartyB, body.ExpiresAt, body.Recording, body.CallRestriction, body.GroupId),
            cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<GenericBindingView>, ErrorResult>> ReleaseGenericBinding(
        string bindingId,
        ReleaseGenericBindingHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new ReleaseGenericBinding(caller.CallerId, bindingId), cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    /// <summary>OpenAPI examples (made-up numbers, masked as responses show them).</summary>
    internal static class Examples
    {
        public static readonly object CreateBody = new
        {
            product = "axnExtension",
            orderId = "parcel-20261123-0042",
            partyA = "13800138000",
            partyB = "13900139000",
            city = "杭州",
            expiresAt = "2026-11-24T12:00:00Z",
            recording = true,
        };

        public static readonly object UpdateBody = new { partyB = "13700137000", expiresAt = "2026-11-25T12:00:00Z", recording = false };

        public static readonly GenericBindingView Binding = new(
            Guid.Parse("01936f5e-8b90-7c55-a3d2-6e1f0b7c9d21"), "parcel-20261123-0042", "axnExtension", "active", "FC100000000000003",
            "17100000002", "101", "138****8000", "139****9000", null, "杭州", true, "none",
            DateTimeOffset.Parse("2026-11-24T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2026-11-23T10:00:00.412Z", System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2026-11-23T10:00:00.498Z", System.Globalization.CultureInfo.InvariantCulture),
            null, null);

        public static readonly GenericBindingView Released = Binding with
        {
            Status = "released",
            UpdatedAt = DateTimeOffset.Parse("2026-11-23T11:30:00Z", System.Globalization.CultureInfo.InvariantCulture),
            EndedAt = DateTimeOffset.Parse("2026-11-23T11:30:00Z", System.Globalization.CultureInfo.InvariantCulture),
        };

        public static object Problem(int status, string code, string detail) => new
        {
            type = $"https://bindingservice.dev/problems/{code}",
            title = status switch
            {
                404 => "Not found.",
                409 => "The request conflicts with the current state.",
                422 => "The request was refused.",
                _ => "Error.",
            },
            status,
            detail,
            code,
            requestId = "0HN7Q2L3K4M5N:00000001",
        };
    }
}
