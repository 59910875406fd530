using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
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
    public static RouteGroupBuilder MapRideOrders(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/ride-orders/{orderId}/protection").WithTags(RideOrdersDocs.Tag);
        group.MapPut("/", ProtectRideOrder).WithName(nameof(ProtectRideOrder)).Describe(RideOrdersDocs.Protect);
        group.MapGet("/", GetRideOrderProtection).WithName(nameof(GetRideOrderProtection)).Describe(RideOrdersDocs.Get);
        group.MapDelete("/", ReleaseRideOrderProtection).WithName(nameof(ReleaseRideOrderProtection)).Describe(RideOrdersDocs.Release);
        group.MapPut("/driver", ReassignRideDriver).WithName(nameof(ReassignRideDriver)).Describe(RideOrdersDocs.ReassignDriver);
        group.MapPut("/expiry", ChangeRideExpiry).WithName(nameof(ChangeRideExpiry)).Describe(RideOrdersDocs.ChangeExpiry);
        group.MapPut("/recording", SetRideRecording).WithName(nameof(SetRideRecording)).Describe(RideOrdersDocs.SetRecording);
        group.MapPut("/call-restriction", SetRideCallRestriction).WithName(nameof(SetRideCallRestriction)).Describe(RideOrdersDocs.SetCallRestriction);
        group.MapPost("/complete", CompleteRide).WithName(nameof(CompleteRide)).Describe(RideOrdersDocs.Complete);
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
        string orderId, ProtectRideOrderBody? body, ProtectRideOrderHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(new ProtectRideOrder(caller.CallerId, orderId, body.PassengerPhone, body.DriverPhone, body.City, body.ExpiresAt), cancellationToken))
                .ToCreatedOrOk(o => o.Created, o => o.Protection, _ => $"/v1/ride-orders/{Uri.EscapeDataString(orderId)}/protection");

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> GetRideOrderProtection(
        string orderId, GetRideOrderProtectionHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new GetRideOrderProtection(caller.CallerId, orderId), cancellationToken)).ToOk();

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> ReleaseRideOrderProtection(
        string orderId, ReleaseRideOrderProtectionHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new ReleaseRideOrderProtection(caller.CallerId, orderId), cancellationToken)).ToOk();

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> ReassignRideDriver(
        string orderId, ReassignRideDriverBody? body, ReassignRideDriverHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(new ReassignRideDriver(caller.CallerId, orderId, body.DriverPhone), cancellationToken)).ToOk();

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> ChangeRideExpiry(
        string orderId, ChangeRideExpiryBody? body, ChangeRideExpiryHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(new ChangeRideExpiry(caller.CallerId, orderId, body.ExpiresAt), cancellationToken)).ToOk();

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> SetRideRecording(
        string orderId, SetRideRecordingBody? body, SetRideRecordingHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(new SetRideRecording(caller.CallerId, orderId, body.Enabled), cancellationToken)).ToOk();

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> SetRideCallRestriction(
        string orderId, SetRideCallRestrictionBody? body, SetRideCallRestrictionHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(new SetRideCallRestriction(caller.CallerId, orderId, body.Restriction), cancellationToken)).ToOk();

    /// <summary>The body is optional: without one the default grace applies.</summary>
    public static async Task<Results<Ok<RideProtection>, ErrorResult>> CompleteRide(
        string orderId, CompleteRideBody? body, CompleteRideHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new CompleteRide(caller.CallerId, orderId, body?.Grace), cancellationToken)).ToOk();
}
