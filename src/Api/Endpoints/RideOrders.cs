using BindingService.Api.Infrastructure;
using BindingService.Application.RideOrders;
using BindingService.Application.RideOrders.GetRideOrderProtection;
using BindingService.Application.RideOrders.ProtectRideOrder;
using BindingService.Application.RideOrders.ReleaseRideOrderProtection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>Ride-hailing: protect a ride order's passenger and driver behind a virtual number.</summary>
public static class RideOrders
{
    public static RouteGroupBuilder MapRideOrders(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/ride-orders/{orderId}/protection").WithTags("Ride orders");

        group.MapPut("/", ProtectRideOrder)
            .WithName(nameof(ProtectRideOrder))
            .WithSummary("Protect a ride order (AXB: passenger A, driver B, virtual number X)")
            .WithDescription("Idempotent: repeating the request for an order that is already protected for the same passenger and driver returns the same binding with 200. A different passenger or driver gets 409 until the protection is released.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/", GetRideOrderProtection)
            .WithName(nameof(GetRideOrderProtection))
            .WithSummary("Read a ride order's protection")
            .ProducesErrors(StatusCodes.Status404NotFound);

        group.MapDelete("/", ReleaseRideOrderProtection)
            .WithName(nameof(ReleaseRideOrderProtection))
            .WithSummary("Cancel a ride order's protection now (unbinds the virtual number)")
            .WithDescription("Idempotent: releasing an order whose protection has already ended returns its final state.")
            .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);

        return group;
    }

    /// <summary>The body of a protect request.</summary>
    /// <param name="PassengerPhone">Party A: 11-digit mainland mobile, or landline with area code; digits only.</param>
    /// <param name="DriverPhone">Party B, same format.</param>
    /// <param name="City">Preferred city of the virtual number, e.g. 北京.</param>
    /// <param name="ExpiresAt">When the protection ends (UTC or with offset). Defaults to the configured TTL.</param>
    public sealed record ProtectRideOrderBody(string? PassengerPhone, string? DriverPhone, string? City, DateTimeOffset? ExpiresAt);

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
        CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new GetRideOrderProtection(caller.CallerId, orderId), cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<RideProtection>, ErrorResult>> ReleaseRideOrderProtection(
        string orderId,
        ReleaseRideOrderProtectionHandler handler,
        CallerContext caller,
        CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new ReleaseRideOrderProtection(caller.CallerId, orderId), cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }
}
