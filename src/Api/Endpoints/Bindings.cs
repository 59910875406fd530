using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
using BindingService.Application.GenericBindings;
using BindingService.Application.GenericBindings.CreateGenericBinding;
using BindingService.Application.GenericBindings.GetGenericBinding;
using BindingService.Application.GenericBindings.ReleaseGenericBinding;
using BindingService.Application.GenericBindings.UpdateGenericBinding;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>Generic bindings (AXB, AXN, AXN extension, AXG) for other business lines, and G groups (<see cref="Groups"/>).</summary>
public static class Bindings
{
    public static IEndpointRouteBuilder MapBindings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/bindings").WithTags(BindingsDocs.Tag);
        group.MapPost("/", CreateGenericBinding).WithName(nameof(CreateGenericBinding)).WithIdempotency<CreateBindingBody>().Describe(BindingsDocs.Create);
        group.MapGet("/{bindingId}", GetGenericBinding).WithName(nameof(GetGenericBinding)).Describe(BindingsDocs.Get);
        group.MapPatch("/{bindingId}", UpdateGenericBinding).WithName(nameof(UpdateGenericBinding)).WithIdempotency<UpdateBindingBody>().Describe(BindingsDocs.Update);
        group.MapDelete("/{bindingId}", ReleaseGenericBinding).WithName(nameof(ReleaseGenericBinding)).Describe(BindingsDocs.Release);

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
        CreateBindingBody? body, CreateGenericBindingHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(
                    new CreateGenericBinding(
                        caller.CallerId, body.Product, body.OrderId, body.PartyA, body.PartyB, body.PoolKey, body.City, body.ExpiresAt,
                        body.Extension, body.GroupId, body.Recording, body.CallRestriction),
                    cancellationToken))
                .ToCreatedOrOk(o => o.Created, o => o.Binding, binding => $"/v1/bindings/{binding.BindingId:N}");

    public static async Task<Results<Ok<GenericBindingView>, ErrorResult>> GetGenericBinding(
        string bindingId, GetGenericBindingHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new GetGenericBinding(caller.CallerId, bindingId), cancellationToken)).ToOk();

    public static async Task<Results<Ok<GenericBindingView>, ErrorResult>> UpdateGenericBinding(
        string bindingId, UpdateBindingBody? body, UpdateGenericBindingHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await handler.HandleAsync(
                    new UpdateGenericBinding(caller.CallerId, bindingId, body.PartyB, body.ExpiresAt, body.Recording, body.CallRestriction, body.GroupId),
                    cancellationToken))
                .ToOk();

    public static async Task<Results<Ok<GenericBindingView>, ErrorResult>> ReleaseGenericBinding(
        string bindingId, ReleaseGenericBindingHandler handler, CallerContext caller, CancellationToken cancellationToken) =>
        (await handler.HandleAsync(new ReleaseGenericBinding(caller.CallerId, bindingId), cancellationToken)).ToOk();
}
