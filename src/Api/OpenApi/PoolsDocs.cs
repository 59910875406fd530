using BindingService.Application.Abstractions;
using static BindingService.Api.Endpoints.Pools;

namespace BindingService.Api.OpenApi;

/// <summary>The OpenAPI description of the number-pool endpoints (Endpoints/Pools.cs).</summary>
internal static class PoolsDocs
{
    public const string Tag = "Number pools";

    public static RouteHandlerBuilder Register(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Register virtual numbers in a local pool")
        .WithDescription("Asks the provider for each number's city and state (QuerySecretNoDetail) and records it. Idempotent: registering a known number refreshes it.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
        .WithExamples(
            new RegisterPoolNumbersBody(["17000000001", "17000000002"]),
            (StatusCodes.Status200OK, Example.Numbers),
            (StatusCodes.Status404NotFound, Example.NotLocal("numbers")));

    public static RouteHandlerBuilder List(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("The inventory of a local pool: city, state and open pairs of every number")
        .WithDescription("Every number registered or configured for the pool, as the last synchronisation and our own bindings left it.")
        .ProducesErrors(StatusCodes.Status404NotFound)
        .WithExamples(null, (StatusCodes.Status200OK, Example.Numbers), (StatusCodes.Status404NotFound, Example.NotLocal("numbers")));

    public static RouteHandlerBuilder Sync(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Synchronise a local pool's inventory with the provider now")
        .WithDescription("Asks the provider about every number of the pool (QuerySecretNoDetail); one replica syncs a pool at a time. A number the provider does not know becomes unhealthy and is never chosen.")
        .ProducesErrors(StatusCodes.Status404NotFound)
        .WithExamples(
            null,
            (StatusCodes.Status200OK, new PoolSyncReport("FC100000000000001", 20, 18, 1, 0, 1, 0)),
            (StatusCodes.Status404NotFound, Example.NotLocal("sync")));

    /// <summary>The values the examples show.</summary>
    private static class Example
    {
        public static readonly PoolNumbers Numbers = new(
            "FC100000000000001",
            [
                new PoolNumberView("17000000001", "北京", "Available", 3, new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)),
                new PoolNumberView("17000000002", "上海", "Locked", 0, new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)),
            ]);

        public static Microsoft.AspNetCore.Mvc.ProblemDetails NotLocal(string action) => ProblemExamples.Problem(
            404,
            "pool.not_local",
            "Pool FC100000000000009 is not configured for local number selection (Protection:NumberSelection:Pools).",
            $"/v1/admin/pools/FC100000000000009/{action}");
    }
}
