using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
using BindingService.Application.Operators;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>Operators: blacklisted pairs and numbers (docs/api.md, "Operators: blacklists").</summary>
public static class AdminBlacklists
{
    public static RouteGroupBuilder MapAdminBlacklists(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/blacklists").WithTags(AdminBlacklistsDocs.Tag);
        group.MapPost("/pairs", BlacklistPair).WithName(nameof(BlacklistPair)).Describe(AdminBlacklistsDocs.AddPair);
        group.MapPost("/numbers", BlacklistNumber).WithName(nameof(BlacklistNumber)).Describe(AdminBlacklistsDocs.AddNumber);
        group.MapDelete("/{id:long}", DeleteBlacklistEntry).WithName(nameof(DeleteBlacklistEntry)).Describe(AdminBlacklistsDocs.Delete);
        group.MapGet("/", ListBlacklist).WithName(nameof(ListBlacklist)).Describe(AdminBlacklistsDocs.List);
        return group;
    }

    /// <summary>A pair that may not call each other through the pool.</summary>
    /// <param name="PoolKey">The pool the entry applies to.</param>
    /// <param name="First">One number.</param>
    /// <param name="Second">The other number.</param>
    /// <param name="Direction">both (default), firstToSecond (only first calling second is blocked) or secondToFirst.</param>
    /// <param name="Reason">Why, at most 256 characters, no phone number.</param>
    public sealed record BlacklistPairBody(string? PoolKey, string? First, string? Second, string? Direction, string? Reason);

    /// <summary>A number whose calls an AXN pool rejects.</summary>
    /// <param name="PoolKey">The AXN pool.</param>
    /// <param name="Number">The number.</param>
    /// <param name="Reason">Why, at most 256 characters, no phone number.</param>
    public sealed record BlacklistNumberBody(string? PoolKey, string? Number, string? Reason);

    public static async Task<Results<Created<BlacklistEntryView>, Ok<BlacklistEntryView>, ErrorResult>> BlacklistPair(
        BlacklistPairBody? body, IBlacklists blacklists, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await blacklists.AddPairAsync(new PairToBlacklist(body.PoolKey, body.First, body.Second, body.Direction, body.Reason), caller.CallerId, cancellationToken))
                .ToCreatedOrOk(o => o.Created, o => o.Entry, Location);

    public static async Task<Results<Created<BlacklistEntryView>, Ok<BlacklistEntryView>, ErrorResult>> BlacklistNumber(
        BlacklistNumberBody? body, IBlacklists blacklists, CallerContext caller, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await blacklists.AddNumberAsync(new NumberToBlacklist(body.PoolKey, body.Number, body.Reason), caller.CallerId, cancellationToken))
                .ToCreatedOrOk(o => o.Created, o => o.Entry, Location);

    public static async Task<Results<Ok<BlacklistEntryView>, ErrorResult>> DeleteBlacklistEntry(
        long id, IBlacklists blacklists, CallerContext caller, CancellationToken cancellationToken) =>
        (await blacklists.DeleteAsync(id, caller.CallerId, cancellationToken)).ToOk();

    public static async Task<Results<Ok<BlacklistPage>, ErrorResult>> ListBlacklist(
        string? poolKey, string? kind, long? before, int? limit, IBlacklists blacklists, CancellationToken cancellationToken) =>
        (await blacklists.ListAsync(poolKey, kind, before, limit, cancellationToken)).ToOk();

    private static string Location(BlacklistEntryView entry) => $"/v1/admin/blacklists/{entry.Id}";
}
