using BindingService.Application.Operators;
using static BindingService.Api.Endpoints.AdminBlacklists;

namespace BindingService.Api.OpenApi;

/// <summary>The OpenAPI description of the blacklist endpoints (Endpoints/AdminBlacklists.cs).</summary>
internal static class AdminBlacklistsDocs
{
    public const string Tag = "Operators: blacklists";

    private const string Pool = "FC100000000000001";

    public static RouteHandlerBuilder AddPair(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Blacklist a pair: the two may not call each other through the pool")
        .WithDescription("AddSecretBlacklist (point to point) with the direction blocked and a reason. Stored with the numbers encrypted and audited as blacklist.add; the answer shows them masked. The same pair, pool and direction again answers 200 with the entry in force, without a provider call.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(
            new BlacklistPairBody(Pool, "13800138000", "13900139000", "both", "harassment report 2026-118"),
            (StatusCodes.Status201Created, Example.Pair),
            (StatusCodes.Status200OK, Example.Pair),
            (StatusCodes.Status404NotFound, ProblemExamples.Problem(404, "pool.not_found", "The provider has no pool FC100000000000009.", "/v1/admin/blacklists/pairs")));

    public static RouteHandlerBuilder AddNumber(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Blacklist a number in an AXN pool: its calls are rejected")
        .WithDescription("OperateBlackNo AddBlack. Stored, audited and idempotent like a pair.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(
            new BlacklistNumberBody("FC100000000000002", "13800138000", "fraud"),
            (StatusCodes.Status201Created, Example.Number),
            (StatusCodes.Status200OK, Example.Number));

    public static RouteHandlerBuilder Delete(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Remove a blacklist entry")
        .WithDescription("DeleteSecretBlacklist or OperateBlackNo DeleteBlack; the entry is kept, marked deleted (deletedAt), and audited as blacklist.delete. Deleting it again answers the same.")
        .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(null, (StatusCodes.Status200OK, Example.Pair with { DeletedAt = new DateTimeOffset(2026, 12, 3, 11, 0, 0, TimeSpan.Zero) }));

    public static RouteHandlerBuilder List(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("The blacklist entries in force, newest first")
        .WithDescription("Optionally one pool (poolKey) or kind (pair or number); limit 1 to 500 (default 50); pass nextBefore as before for the next page. Numbers are masked.")
        .ProducesErrors(StatusCodes.Status400BadRequest)
        .WithExamples(null, (StatusCodes.Status200OK, new BlacklistPage([Example.Number, Example.Pair], 6)));

    private static class Example
    {
        public static readonly BlacklistEntryView Pair = new(6, "pair", Pool, "138****8000", "139****9000", "both", "harassment report 2026-118", "ops-console", new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero), null);

        public static readonly BlacklistEntryView Number = new(7, "number", "FC100000000000002", "138****8000", null, null, "fraud", "ops-console", new DateTimeOffset(2026, 12, 3, 10, 5, 0, TimeSpan.Zero), null);
    }
}
