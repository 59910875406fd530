using BindingService.Api.Infrastructure;
using BindingService.Infrastructure.Numbers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>Operators: the inventory of number pools in local selection mode (docs/decisions/0003-local-number-selection.md).</summary>
public static class Pools
{
    public static RouteGroupBuilder MapPools(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/pools/{poolKey}").WithTags("Number pools");

        group.MapPost("/numbers", RegisterPoolNumbers)
            .WithName(nameof(RegisterPoolNumbers))
            .WithSummary("Register virtual numbers in a local pool")
            .WithDescription("Asks the provider for each number's city and state (QuerySecretNoDetail) and records it. Idempotent: registering a known number refreshes it.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithExamples(
                new RegisterPoolNumbersBody(["17000000001", "17000000002"]),
                (StatusCodes.Status200OK, Example.Numbers),
                (StatusCodes.Status404NotFound, Example.NotLocal));

        group.MapGet("/numbers", ListPoolNumbers)
            .WithName(nameof(ListPoolNumbers))
            .WithSummary("The inventory of a local pool: city, state and open pairs of every number")
            .WithDescription("Every number registered or configured for the pool, as the last synchronisation and our own bindings left it.")
            .ProducesErrors(StatusCodes.Status404NotFound)
            .WithExamples(null, (StatusCodes.Status200OK, Example.Numbers), (StatusCodes.Status404NotFound, Example.NotLocal));

        group.MapPost("/sync", SyncPool)
            .WithName(nameof(SyncPool))
            .WithSummary("Synchronise a local pool's inventory with the provider now")
            .WithDescription("Asks the provider about every number of the pool (QuerySecretNoDetail); one replica syncs a pool at a time. A number the provider does not know becomes unhealthy and is never chosen.")
            .ProducesErrors(StatusCodes.Status404NotFound)
            .WithExamples(
                null,
                (StatusCodes.Status200OK, new PoolSyncReport("FC100000000000001", 20, 18, 1, 0, 1, 0)),
                (StatusCodes.Status404NotFound, Example.NotLocal));

        return group;
    }

    /// <summary>The body of a register request.</summary>
    /// <param name="Numbers">The virtual numbers (X), digits only, 1 to 1000.</param>
    public sealed record RegisterPoolNumbersBody(IReadOnlyList<string>? Numbers);

    /// <summary>A pool's numbers.</summary>
    public sealed record PoolNumbers(string PoolKey, IReadOnlyList<PoolNumberView> Numbers);

    public static async Task<Results<Ok<PoolNumbers>, ErrorResult>> RegisterPoolNumbers(
        string poolKey, RegisterPoolNumbersBody? body, NumberInventory inventory, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ErrorResult.MissingBody();
        }

        var result = await inventory.RegisterAsync(poolKey, body.Numbers, cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(new PoolNumbers(poolKey, result.Value!));
    }

    public static async Task<Results<Ok<PoolNumbers>, ErrorResult>> ListPoolNumbers(string poolKey, NumberInventory inventory, CancellationToken cancellationToken)
    {
        var result = await inventory.ListAsync(poolKey, cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(new PoolNumbers(poolKey, result.Value!));
    }

    public static async Task<Results<Ok<PoolSyncReport>, ErrorResult>> SyncPool(string poolKey, NumberInventory inventory, CancellationToken cancellationToken)
    {
        var result = await inventory.SyncAsync(poolKey, waitForOtherReplica: true, cancellationToken);
        return result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);
    }

    /// <summary>The values the OpenAPI examples show.</summary>
    private static class Example
    {
        public static readonly PoolNumbers Numbers = new(
            "FC100000000000001",
            [
                new PoolNumberView("17000000001", "北京", "Available", 3, new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)),
                new PoolNumberView("17000000002", "上海", "Locked", 0, new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)),
            ]);

        public static readonly object NotLocal = new
        {
            type = "https://bindingservice.dev/problems/pool.not_local",
            title = "Not found.",
            status = 404,
            detail = "Pool FC100000000000009 is not configured for local number selection (Protection:NumberSelection:Pools).",
            code = "pool.not_local",
        };
    }
}
