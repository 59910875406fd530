using System.Text.Json.Nodes;
using BindingService.Api.Infrastructure;
using BindingService.Application.RideOrders;
using BindingService.Application.RideOrders.ChangeRideExpiry;
using BindingService.Application.RideOrders.CompleteRide;
using BindingService.Application.RideOrders.GetRideOrderProtection;
using BindingService.Application.RideOrders.ProtectRideOrder;
using BindingService.Application.RideOrders.ReassignRideDriver;
using BindingService.Application.RideOrders.ReleaseRideOrderProtection;
using BindingService.Application.RideOrders.SetRideCallRestriction;
using BindingService.Application.RideOrders.SetRideRecording;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>Ride-hailing: protect a ride order's passenger and driver behind a virtual number, change it, complete it, cancel it.</summary>
public static class RideOrders
{
    private const string ChangeRules =
        " Calls UpdateSubscription at the provider first, then records the change (one BindingUpdated event naming what changed)." +
        " Repeating the same change returns 200 with the same state and no event." +
        " A protection that has ended (released, expired, failed) cannot change: 409 `order.protection_ended`;" +
        " one past its expiry is ended (BindingExpired) and answered the same way.";

    public static RouteGroupBuilder MapRideOrders(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/ride-orders/{orderId}/protection").WithTags("Ride orders");

        group.MapPut("/", ProtectRideOrder)
            .WithName(nameof(ProtectRideOrder))
            .WithSummary("Protect a ride order (AXB: passenger A, driver B, virtual number X)")
            .WithDescription("Idempotent: repeating the request for an order that is already protected for the same passenger and driver returns the same binding with 200. A different passenger or driver gets 409 until the protection is released.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
            .WithExamples(
                new ProtectRideOrderBody("13800138000", "13900139000", "北京", Example.Now.AddHours(2)),
                (StatusCodes.Status201Created, Example.Protection()),
                (StatusCodes.Status200OK, Example.Protection()),
                (StatusCodes.Status400BadRequest, Example.Invalid("driverPhone", "Must differ from passengerPhone.")),
                (StatusCodes.Status409Conflict, Example.Problem(409, "order.protected_with_other_parties", "The order is already protected for a different passenger or driver. Release it first.")),
                (StatusCodes.Status422UnprocessableEntity, Example.Problem(422, "phone.rejected", "The provider rejected a phone number.")),
                (StatusCodes.Status503ServiceUnavailable, Example.Problem(503, "pool.exhausted", "No virtual number is available in pool FC100000000000001 for city 北京.")));

        group.MapGet("/", GetRideOrderProtection)
            .WithName(nameof(GetRideOrderProtection))
            .WithSummary("Read a ride order's protection")
            .WithDescription("The open protection, or the last one if it has ended. A protection past its expiry is ended on read (status `expired`, BindingExpired).")
            .ProducesErrors(StatusCodes.Status404NotFound)
            .WithExamples(
                null,
                (StatusCodes.Status200OK, Example.Protection()),
                (StatusCodes.Status404NotFound, Example.NotFound));

        group.MapDelete("/", ReleaseRideOrderProtection)
            .WithName(nameof(ReleaseRideOrderProtection))
            .WithSummary("Cancel a ride order's protection now (unbinds the virtual number)")
            .WithDescription("Idempotent: releasing an order whose protection has already ended returns its final state.")
            .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
            .WithExamples(
                null,
                (StatusCodes.Status200OK, Example.Protection(status: "released", endedAt: Example.Now.AddMinutes(20))),
                (StatusCodes.Status404NotFound, Example.NotFound),
                (StatusCodes.Status503ServiceUnavailable, Example.Unavailable));

        group.MapPut("/driver", ReassignRideDriver)
            .WithName(nameof(ReassignRideDriver))
            .WithSummary("Reassign the driver (B) of a protected ride order")
            .WithDescription("The virtual number stays the same; from now on it connects the passenger with the new driver (UpdateSubscription updateNoB)." + ChangeRules)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
            .WithExamples(
                new ReassignRideDriverBody("13700137000"),
                (StatusCodes.Status200OK, Example.Protection(driver: "137****7000")),
                (StatusCodes.Status400BadRequest, Example.Invalid("driverPhone", "Must differ from the passenger's number.")),
                (StatusCodes.Status404NotFound, Example.NotFound),
                (StatusCodes.Status409Conflict, Example.Ended),
                (StatusCodes.Status422UnprocessableEntity, Example.Refused),
                (StatusCodes.Status503ServiceUnavailable, Example.Unavailable));

        group.MapPut("/expiry", ChangeRideExpiry)
            .WithName(nameof(ChangeRideExpiry))
            .WithSummary("Extend or shorten a ride order's protection")
            .WithDescription("The protection now ends at `expiresAt`, which must lie between Protection:MinTtl (2 min) and Protection:MaxTtl (7 days) from now; kept to the second (UpdateSubscription updateExpire)." + ChangeRules)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
            .WithExamples(
                new ChangeRideExpiryBody(Example.Now.AddHours(4)),
                (StatusCodes.Status200OK, Example.Protection(expiresAt: Example.Now.AddHours(4))),
                (StatusCodes.Status400BadRequest, Example.Invalid("expiresAt", "Must be at least 2 minutes from now.")),
                (StatusCodes.Status404NotFound, Example.NotFound),
                (StatusCodes.Status409Conflict, Example.Ended),
                (StatusCodes.Status422UnprocessableEntity, Example.Refused),
                (StatusCodes.Status503ServiceUnavailable, Example.Unavailable));

        group.MapPut("/recording", SetRideRecording)
            .WithName(nameof(SetRideRecording))
            .WithSummary("Turn call recording of a ride order's protection on or off")
            .WithDescription("Applies to calls from now on (UpdateSubscription updateIsRecordingEnabled)." + ChangeRules)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
            .WithExamples(
                new SetRideRecordingBody(true),
                (StatusCodes.Status200OK, Example.Protection(recording: true)),
                (StatusCodes.Status400BadRequest, Example.Invalid("enabled", "Required: true to record the calls from now on, false to stop.")),
                (StatusCodes.Status404NotFound, Example.NotFound),
                (StatusCodes.Status409Conflict, Example.Ended),
                (StatusCodes.Status422UnprocessableEntity, Example.Refused),
                (StatusCodes.Status503ServiceUnavailable, Example.Unavailable));

        group.MapPut("/call-restriction", SetRideCallRestriction)
            .WithName(nameof(SetRideCallRestriction))
            .WithSummary("Set or clear a one-way call restriction")
            .WithDescription("`passengerCannotCall`: the passenger can no longer call the virtual number (CONTROL_AX_DISABLE); `driverCannotCall`: the driver can no longer call it (CONTROL_BX_DISABLE); `none` clears the restriction (CONTROL_CLEAR_DISABLE). UpdateSubscription updateCallRestrict." + ChangeRules)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
            .WithExamples(
                new SetRideCallRestrictionBody(RideCallRestrictions.DriverCannotCall),
                (StatusCodes.Status200OK, Example.Protection(restriction: RideCallRestrictions.DriverCannotCall)),
                (StatusCodes.Status400BadRequest, Example.Invalid("restriction", "Required: one of none, passengerCannotCall, driverCannotCall.")),
                (StatusCodes.Status404NotFound, Example.NotFound),
                (StatusCodes.Status409Conflict, Example.Ended),
                (StatusCodes.Status422UnprocessableEntity, Example.Refused),
                (StatusCodes.Status503ServiceUnavailable, Example.Unavailable));

        group.MapPost("/complete", CompleteRide)
            .WithName(nameof(CompleteRide))
            .WithSummary("Complete the trip: keep the protection for a post-trip grace period, then let it end")
            .WithDescription("The provider's expiry moves to now + `grace` (default Protection:PostTripGrace, 30 min; at least Protection:MinTtl) so lost-item calls still connect; the protection records `completedAt` and ends by expiry (BindingExpired). The body is optional. Completing again returns the same state." + ChangeRules)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
            .WithExamples(
                new CompleteRideBody(TimeSpan.FromMinutes(10)),
                (StatusCodes.Status200OK, Example.Protection(expiresAt: Example.Now.AddMinutes(40), completedAt: Example.Now.AddMinutes(30))),
                (StatusCodes.Status400BadRequest, Example.Invalid("grace", "Must be at least 00:02:00 (hh:mm:ss).")),
                (StatusCodes.Status404NotFound, Example.NotFound),
                (StatusCodes.Status409Conflict, Example.Ended),
                (StatusCodes.Status422UnprocessableEntity, Example.Refused),
                (StatusCodes.Status503ServiceUnavailable, Example.Unavailable));

        return group;
    }

    /// <summary>The body of a protect request.</summary>
    /// <param name="PassengerPhone">Party A: 11-digit mainland mobile, or landline with area code; digits only.</param>
    /// <param name="DriverPhone">Party B, same format.</param>
    /// <param name="City">Preferred city of the virtual number, e.g. 北京.</param>
    /// <param name="ExpiresAt">When the protection ends (UTC or with offset). Defaults to the configured TTL.</param>
    public sealed record ProtectRideOrderBody(string? PassengerPhone, string? DriverPhone, string? City, DateTimeOffset? ExpiresAt);

    /// <summary>The body of a driver reassignment.</summary>
    /// <param name="DriverPhone">The new driver (party B): 11-digit mainland mobile, or landline with area code; digits only.</param>
    public sealed record ReassignRideDriverBody(string? DriverPhone);

    /// <summary>The body of an expiry change.</summary>
    /// <param name="ExpiresAt">When the protection now ends (UTC or with offset), between MinTtl and MaxTtl from now.</param>
    public sealed record ChangeRideExpiryBody(DateTimeOffset? ExpiresAt);

    /// <summary>The body of a recording change.</summary>
    /// <param name="Enabled">True to record the calls from now on, false to stop.</param>
    public sealed record SetRideRecordingBody(bool? Enabled);

    /// <summary>The body of a call-restriction change.</summary>
    /// <param name="Restriction">none, passengerCannotCall or driverCannotCall.</param>
    public sealed record SetRideCallRestrictionBody(string? Restriction);

    /// <summary>The (optional) body of a trip completion.</summary>
    /// <param name="Grace">How long the protection stays usable after the trip (hh:mm:ss). Defaults to Protection:PostTripGrace.</param>
    public sealed record CompleteRideBody(TimeSpan? Grace);

    public static async Task<Results<Created<RideProtection>, Ok<RideProtection>, ErrorResult>> ProtectRideOrder(
        string orderId,
        ProtectRideOrderBody? body,
        ProtectRideOrderHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResult.MissingBody();
        }

        var result = await handler.HandleAsync(
            new ProtectRideOrder(caller.CallerId, orderId, body.PassengerPhone, body.DriverPhone, body.City, body.ExpiresAt),
            cancellationToken);
        if (result.Error is { } error)
        {
            return new ErrorResult(error);
        }

        var outcome = result.Value!;
        return outcome.Created
            ? TypedResults.Created($"/v1/ride-orders/{Uri.EscapeDataString(orderId)}/protection", outcome.Protection)
            : TypedResults.Ok(outcome.Protection);
    }

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> GetRideOrderProtection(
        string orderId,
        GetRideOrderProtectionHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken) =>
        ToResult(await handler.HandleAsync(new GetRideOrderProtection(caller.CallerId, orderId), cancellationToken));

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> ReleaseRideOrderProtection(
        string orderId,
        ReleaseRideOrderProtectionHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken) =>
        ToResult(await handler.HandleAsync(new ReleaseRideOrderProtection(caller.CallerId, orderId), cancellationToken));

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> ReassignRideDriver(
        string orderId,
        ReassignRideDriverBody? body,
        ReassignRideDriverHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : ToResult(await handler.HandleAsync(new ReassignRideDriver(caller.CallerId, orderId, body.DriverPhone), cancellationToken));

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> ChangeRideExpiry(
        string orderId,
        ChangeRideExpiryBody? body,
        ChangeRideExpiryHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : ToResult(await handler.HandleAsync(new ChangeRideExpiry(caller.CallerId, orderId, body.ExpiresAt), cancellationToken));

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> SetRideRecording(
        string orderId,
        SetRideRecordingBody? body,
        SetRideRecordingHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : ToResult(await handler.HandleAsync(new SetRideRecording(caller.CallerId, orderId, body.Enabled), cancellationToken));

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> SetRideCallRestriction(
        string orderId,
        SetRideCallRestrictionBody? body,
        SetRideCallRestrictionHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : ToResult(await handler.HandleAsync(new SetRideCallRestriction(caller.CallerId, orderId, body.Restriction), cancellationToken));

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> CompleteRide(
        string orderId,
        CompleteRideBody? body,
        CompleteRideHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken) =>
        ToResult(await handler.HandleAsync(new CompleteRide(caller.CallerId, orderId, body?.Grace), cancellationToken));

    private static Results<Ok<RideProtection>, ErrorResult> ToResult(Application.Common.Result<RideProtection> result) =>
        result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);

    /// <summary>
    /// Puts a request example and response examples (by status code) into the endpoint's OpenAPI operation, so they
    /// appear in <c>/openapi/v1.json</c> and the Scalar UI. Examples use the API's own JSON (camelCase).
    /// </summary>
    /// <summary>The values the OpenAPI examples show.</summary>
    private static class Example
    {
        public static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

        public static readonly JsonObject NotFound = Problem(404, "order.not_found", "No protection exists for this ride order.");

        public static readonly JsonObject Ended = Problem(409, "order.protection_ended", "The ride order's protection is released; it can no longer change. Protect the order again.");

        public static readonly JsonObject Refused = Problem(422, "provider.forbidden", "The provider refused the operation for this pool or number.");

        public static readonly JsonObject Unavailable = Problem(503, "provider.unavailable", "The number protection provider is unavailable.");

        public static RideProtection Protection(
            string status = "active",
            string driver = "139****9000",
            DateTimeOffset? expiresAt = null,
            bool recording = false,
            string restriction = RideCallRestrictions.None,
            DateTimeOffset? completedAt = null,
            DateTimeOffset? endedAt = null) => new(
            "ride-1001",
            Guid.Parse("01936f5e-8b90-7c55-a3d2-6e1f0b7c9d21"),
            status,
            "17000000003",
            "138****8000",
            driver,
            "北京",
            expiresAt ?? Now.AddHours(2),
            Now,
            completedAt ?? endedAt ?? Now,
            endedAt,
            recording,
            restriction,
            completedAt,
            null);

        public static JsonObject Problem(int status, string code, string detail) => new()
        {
            ["type"] = $"https://bindingservice.dev/problems/{code}",
            ["title"] = status switch
            {
                404 => "Not found.",
                409 => "The request conflicts with the current state.",
                503 => "Temporarily unavailable.",
                _ => "The request was refused.",
            },
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = "/v1/ride-orders/ride-1001/protection",
            ["code"] = code,
            ["requestId"] = "0HNC8M2K4V7QF:00000001",
        };

        public static JsonObject Invalid(string field, string message) => new()
        {
            ["type"] = "https://bindingservice.dev/problems/request.invalid",
            ["title"] = "The request is invalid.",
            ["status"] = 400,
            ["detail"] = "One or more fields are invalid.",
            ["instance"] = "/v1/ride-orders/ride-1001/protection",
            ["errors"] = new JsonObject { [field] = new JsonArray(message) },
            ["code"] = "request.invalid",
            ["requestId"] = "0HNC8M2K4V7QF:00000001",
        };
    }
}
