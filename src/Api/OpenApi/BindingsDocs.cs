using System.Globalization;
using BindingService.Application.GenericBindings;
using Microsoft.AspNetCore.Mvc;

namespace BindingService.Api.OpenApi;

/// <summary>
/// The OpenAPI description of the generic-binding endpoints (Endpoints/Bindings.cs): one example per success response
/// and per specific problem; the other problems get the representative ones of <see cref="ProblemExamples"/>.
/// </summary>
internal static class BindingsDocs
{
    public const string Tag = "Generic bindings";

    public static RouteHandlerBuilder Create(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Create a binding of any product (AXB, AXN, AXN extension, AXG) with explicit parameters")
        .WithDescription(
            "For business lines other than ride and delivery. The order id is the natural key per caller: repeating the request for an order whose " +
            "binding is open with the same product and parties returns it with 200; other parties or product get 409 until it is deleted. " +
            "AXB needs partyB; AXG needs groupId (a group from POST /v1/groups, whose pool the binding uses). The pool defaults to the configured pool of the product. " +
            "An extension (1-3 digits, AXN extension only) is accepted only by pools where we choose X; otherwise the provider allocates one.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithRequestExample(Example.CreateBody)
        .WithResponseExample(StatusCodes.Status201Created, Example.Binding, "Created; Location is the binding's URL.")
        .WithResponseExample(StatusCodes.Status200OK, Example.Binding, "The order's open binding, same product and parties (idempotent repeat).")
        .WithResponseExample(StatusCodes.Status409Conflict, ProblemExamples.Problem(409, "order.protected_with_other_parties", "The order is already protected with other parties or another product. Release it first.", "/v1/bindings"));

    public static RouteHandlerBuilder Get(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Read a generic binding")
        .WithDescription("Any state: pending, active, failed, released or expired. Parties are masked.")
        .ProducesErrors(StatusCodes.Status404NotFound)
        .WithResponseExample(StatusCodes.Status200OK, Example.Binding)
        .WithResponseExample(StatusCodes.Status404NotFound, Example.NotFound());

    public static RouteHandlerBuilder Update(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Change an active binding in place: partyB, expiresAt, recording, callRestriction, groupId (AXG)")
        .WithDescription(
            "Each field given is one UpdateSubscription at the provider and one BindingUpdated event, applied in the order partyB, expiresAt, recording, " +
            "callRestriction, groupId. A field that already has the value changes nothing (no event). If a later change fails, the earlier ones stay applied; " +
            "read the binding to see its state. Only an active binding changes (409 binding.not_active otherwise).")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithRequestExample(Example.UpdateBody)
        .WithResponseExample(StatusCodes.Status200OK, Example.Binding)
        .WithResponseExample(StatusCodes.Status409Conflict, ProblemExamples.Problem(409, "binding.not_active", "Only an active binding can change; this one is released.", Example.Instance));

    public static RouteHandlerBuilder Release(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Delete (unbind) a binding now")
        .WithDescription("Unbinds at the provider and marks the binding released (BindingReleased). Idempotent: a binding that has already ended is returned as it is.")
        .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
        .WithResponseExample(StatusCodes.Status200OK, Example.Released)
        .WithResponseExample(StatusCodes.Status404NotFound, Example.NotFound());

    /// <summary>The values the examples show (made-up numbers, masked as responses show them).</summary>
    private static class Example
    {
        public const string Instance = "/v1/bindings/01936f5e8b907c55a3d26e1f0b7c9d21";

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
            At("2026-11-24T12:00:00Z"), At("2026-11-23T10:00:00.412Z"), At("2026-11-23T10:00:00.498Z"), null, null);

        public static readonly GenericBindingView Released = Binding with
        {
            Status = "released",
            UpdatedAt = At("2026-11-23T11:30:00Z"),
            EndedAt = At("2026-11-23T11:30:00Z"),
        };

        public static ProblemDetails NotFound() => ProblemExamples.Problem(404, "binding.not_found", "No generic binding exists with this id.", Instance);

        private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
    }
}
