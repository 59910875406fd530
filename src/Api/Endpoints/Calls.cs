using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
using BindingService.Application.Calls;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>
/// The call log (docs/api.md, 'Calls'): the calls of a ride order, a delivery order or a binding, and a call's
/// recording and transcript. A caller sees only calls of its own orders and bindings; anything else is 404.
/// </summary>
public static class Calls
{
    /// <summary>
    /// Maps the call log in three groups, so each can carry its own authorization: the ride order's calls, the delivery
    /// order's calls, and the binding's calls with the calls themselves (recording, transcript).
    /// </summary>
    public static CallGroups MapCalls(this IEndpointRouteBuilder app)
    {
        var rides = app.MapGroup("/v1/ride-orders/{orderId}/protection/calls").WithTags(CallsDocs.Tag);
        rides.MapGet("/", ListRideOrderCalls).WithName(nameof(ListRideOrderCalls)).Describe(CallsDocs.ListForOrder);

        var deliveries = app.MapGroup("/v1/delivery-orders/{orderId}/protection/calls").WithTags(CallsDocs.Tag);
        deliveries.MapGet("/", ListDeliveryOrderCalls).WithName(nameof(ListDeliveryOrderCalls)).Describe(CallsDocs.ListForOrder);

        var bindings = app.MapGroup("/v1").WithTags(CallsDocs.Tag);
        bindings.MapGet("/bindings/{bindingId}/calls", ListBindingCalls).WithName(nameof(ListBindingCalls)).Describe(CallsDocs.ListForBinding);
        bindings.MapGet("/calls/{callId}/recording", GetCallRecording).WithName(nameof(GetCallRecording)).Describe(CallsDocs.Recording);
        bindings.MapGet("/calls/{callId}/transcript", GetCallTranscript).WithName(nameof(GetCallTranscript)).Describe(CallsDocs.Transcript);
        return new CallGroups(rides, deliveries, bindings);
    }

    public static async Task<Results<Ok<CallPage>, ErrorResult>> ListRideOrderCalls(
        string orderId, int? limit, string? cursor, CallLogQueries calls, CallerContext caller, CancellationToken cancellationToken) =>
        (await calls.ForOrderAsync(caller.CallerId, "ride", orderId, limit, cursor, cancellationToken)).ToOk();

    public static async Task<Results<Ok<CallPage>, ErrorResult>> ListDeliveryOrderCalls(
        string orderId, int? limit, string? cursor, CallLogQueries calls, CallerContext caller, CancellationToken cancellationToken) =>
        (await calls.ForOrderAsync(caller.CallerId, "delivery", orderId, limit, cursor, cancellationToken)).ToOk();

    public static async Task<Results<Ok<CallPage>, ErrorResult>> ListBindingCalls(
        string bindingId, int? limit, string? cursor, CallLogQueries calls, CallerContext caller, CancellationToken cancellationToken) =>
        (await calls.ForBindingAsync(caller.CallerId, bindingId, limit, cursor, cancellationToken)).ToOk();

    public static async Task<Results<Ok<RecordingView>, ErrorResult>> GetCallRecording(
        string callId, CallLogQueries calls, CallerContext caller, CancellationToken cancellationToken) =>
        (await calls.RecordingAsync(caller.CallerId, callId, cancellationToken)).ToOk();

    public static async Task<Results<Ok<TranscriptView>, ErrorResult>> GetCallTranscript(
        string callId, CallLogQueries calls, CallerContext caller, CancellationToken cancellationToken) =>
        (await calls.TranscriptAsync(caller.CallerId, callId, cancellationToken)).ToOk();
}

/// <summary>The call log's route groups: ride order calls, delivery order calls, binding calls and calls by id.</summary>
public sealed record CallGroups(RouteGroupBuilder Rides, RouteGroupBuilder Deliveries, RouteGroupBuilder Bindings);
