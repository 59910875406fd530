using BindingService.Application.RideOrders;
using Microsoft.AspNetCore.Mvc;
using static BindingService.Api.Endpoints.RideOrders;

namespace BindingService.Api.OpenApi;

/// <summary>The OpenAPI description of the ride-order endpoints (Endpoints/RideOrders.cs): one example per response.</summary>
internal static class RideOrdersDocs
{
    public const string Tag = "Ride orders";

    private const string ChangeRules =
        " Calls UpdateSubscription at the provider first, then records the change (one BindingUpdated event naming what changed)." +
        " Repeating the same change returns 200 with the same state and no event." +
        " A protection that has ended (released, expired, failed) cannot change: 409 `order.protection_ended`;" +
        " one past its expiry is ended (BindingExpired) and answered the same way.";

    private static readonly int[] ChangeErrors =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
        StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable,
    ];

    public static RouteHandlerBuilder Protect(RouteHandlerBuilder endpoint) => endpoint
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

    public static RouteHandlerBuilder Get(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Read a ride order's protection")
        .WithDescription("The open protection, or the last one if it has ended. A protection past its expiry is ended on read (status `expired`, BindingExpired).")
        .ProducesErrors(StatusCodes.Status404NotFound)
        .WithExamples(
            null,
            (StatusCodes.Status200OK, Example.Protection()),
            (StatusCodes.Status404NotFound, Example.NotFound()));

    public static RouteHandlerBuilder Release(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Cancel a ride order's protection now (unbinds the virtual number)")
        .WithDescription("Idempotent: releasing an order whose protection has already ended returns its final state.")
        .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(
            null,
            (StatusCodes.Status200OK, Example.Protection(status: "released", endedAt: Example.Now.AddMinutes(20))),
            (StatusCodes.Status404NotFound, Example.NotFound()),
            (StatusCodes.Status503ServiceUnavailable, Example.Unavailable()));

    public static RouteHandlerBuilder ReassignDriver(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Reassign the driver (B) of a protected ride order")
        .WithDescription("The virtual number stays the same; from now on it connects the passenger with the new driver (UpdateSubscription updateNoB)." + ChangeRules)
        .ProducesErrors(ChangeErrors)
        .WithChangeExamples(
            new ReassignRideDriverBody("13700137000"),
            Example.Protection(driver: "137****7000"),
            Example.Invalid("driverPhone", "Must differ from the passenger's number."));

    public static RouteHandlerBuilder ChangeExpiry(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Extend or shorten a ride order's protection")
        .WithDescription("The protection now ends at `expiresAt`, which must lie between Protection:MinTtl (2 min) and Protection:MaxTtl (7 days) from now; kept to the second (UpdateSubscription updateExpire)." + ChangeRules)
        .ProducesErrors(ChangeErrors)
        .WithChangeExamples(
            new ChangeRideExpiryBody(Example.Now.AddHours(4)),
            Example.Protection(expiresAt: Example.Now.AddHours(4)),
            Example.Invalid("expiresAt", "Must be at least 2 minutes from now."));

    public static RouteHandlerBuilder SetRecording(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Turn call recording of a ride order's protection on or off")
        .WithDescription("Applies to calls from now on (UpdateSubscription updateIsRecordingEnabled)." + ChangeRules)
        .ProducesErrors(ChangeErrors)
        .WithChangeExamples(
            new SetRideRecordingBody(true),
            Example.Protection(recording: true),
            Example.Invalid("enabled", "Required: true to record the calls from now on, false to stop."));

    public static RouteHandlerBuilder SetCallRestriction(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Set or clear a one-way call restriction")
        .WithDescription("`passengerCannotCall`: the passenger can no longer call the virtual number (CONTROL_AX_DISABLE); `driverCannotCall`: the driver can no longer call it (CONTROL_BX_DISABLE); `none` clears the restriction (CONTROL_CLEAR_DISABLE). UpdateSubscription updateCallRestrict." + ChangeRules)
        .ProducesErrors(ChangeErrors)
        .WithChangeExamples(
            new SetRideCallRestrictionBody(RideCallRestrictions.DriverCannotCall),
            Example.Protection(restriction: RideCallRestrictions.DriverCannotCall),
            Example.Invalid("restriction", "Required: one of none, passengerCannotCall, driverCannotCall."));

    public static RouteHandlerBuilder Complete(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Complete the trip: keep the protection for a post-trip grace period, then let it end")
        .WithDescription("The provider's expiry moves to now + `grace` (default Protection:PostTripGrace, 30 min; at least Protection:MinTtl) so lost-item calls still connect; the protection records `completedAt` and ends by expiry (BindingExpired). The body is optional. Completing again returns the same state." + ChangeRules)
        .ProducesErrors(ChangeErrors)
        .WithChangeExamples(
            new CompleteRideBody(TimeSpan.FromMinutes(10)),
            Example.Protection(expiresAt: Example.Now.AddMinutes(40), completedAt: Example.Now.AddMinutes(30)),
            Example.Invalid("grace", "Must be at least 00:02:00 (hh:mm:ss)."));

    /// <summary>The examples of a change: its request, the changed protection, its 400, and the problems every change shares.</summary>
    private static RouteHandlerBuilder WithChangeExamples(this RouteHandlerBuilder endpoint, object request, RideProtection changed, ProblemDetails invalid) =>
        endpoint.WithExamples(
            request,
            (StatusCodes.Status200OK, changed),
            (StatusCodes.Status400BadRequest, invalid),
            (StatusCodes.Status404NotFound, Example.NotFound()),
            (StatusCodes.Status409Conflict, Example.Problem(409, "order.protection_ended", "The ride order's protection is released; it can no longer change. Protect the order again.")),
            (StatusCodes.Status422UnprocessableEntity, Example.Problem(422, "provider.forbidden", "The provider refused the operation for this pool or number.")),
            (StatusCodes.Status503ServiceUnavailable, Example.Unavailable()));

    /// <summary>The values the examples show.</summary>
    private static class Example
    {
        public static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

        private const string Instance = "/v1/ride-orders/ride-1001/protection";

        public static ProblemDetails NotFound() => Problem(404, "order.not_found", "No protection exists for this ride order.");

        public static ProblemDetails Unavailable() => Problem(503, "provider.unavailable", "The number protection provider is unavailable.");

        public static ProblemDetails Problem(int status, string code, string detail) => ProblemExamples.Problem(status, code, detail, Instance);

        public static ProblemDetails Invalid(string field, string message) => ProblemExamples.Invalid(Instance, field, message);

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
    }
}
