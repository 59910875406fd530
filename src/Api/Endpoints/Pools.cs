using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
using BindingService.Application.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>Operators: the inventory of number pools in local selection mode (docs/decisions/0003-local-number-selection.md).</summary>
public static class Pools
{
    public static RouteGroupBuilder MapPools(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/pools/{poolKey}").WithTags(PoolsDocs.Tag);
        group.MapPost("/numbers", RegisterPoolNumbers).WithName(nameof(RegisterPoolNumbers)).Describe(PoolsDocs.Register);
        group.MapGet("/numbers", ListPoolNumbers).WithName(nameof(ListPoolNumbers)).Describe(PoolsDocs.List);
        group.MapPost("/sync", SyncPool).WithName(nameof(SyncPool)).Describe(PoolsDocs.Sync);
        return group;
    }

    /// <summary>The body of a register request.</summary>
    /// <param name="Numbers">The virtual numbers (X), digits only, 1 to 1000.</param>
    public sealed record RegisterPoolNumbersBody(IReadOnlyList<string>? Numbers);

    /// <summary>A pool's numbers (a page of them when listed: <paramref name="NextAfter"/> is the <c>after</c> of the next page, null on the last).</summary>
    public sealed record PoolNumbers(string PoolKey, IReadOnlyList<PoolNumberView> Numbers, string? NextAfter = null);

    public static async Task<Results<Ok<PoolNumbers>, ErrorResult>> RegisterPoolNumbers(
        string poolKey, RegisterPoolNumbersBody? body, INumberPoolInventory inventory, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await inventory.RegisterAsync(poolKey, body.Numbers, cancellationToken)).ToOk(numbers => new PoolNumbers(poolKey, numbers));

    /// <summary>Paged in number order: <c>limit</c> (1–1000, default 100) numbers after <c>after</c>.</summary>
    public static async Task<Results<Ok<PoolNumbers>, ErrorResult>> ListPoolNumbers(
        string poolKey, string? after, int? limit, INumberPoolInventory inventory, CancellationToken cancellationToken) =>
        (await inventory.ListAsync(poolKey, after, limit, cancellationToken)).ToOk(page => new PoolNumbers(poolKey, page.Numbers, page.NextAfter));

    /// <summary>An operator's sync waits for one another replica is running, rather than refusing.</summary>
    public static async Task<Results<Ok<PoolSyncReport>, ErrorResult>> SyncPool(
        string poolKey, INumberPoolInventory inventory, CancellationToken cancellationToken) =>
        (await inventory.SyncAsync(poolKey, waitForOtherReplica: true, cancellationToken)).ToOk();
}
