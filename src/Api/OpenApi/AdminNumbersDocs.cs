using BindingService.Application.Operators;
using static BindingService.Api.Endpoints.AdminNumbers;

namespace BindingService.Api.OpenApi;

/// <summary>The OpenAPI description of the operators' number endpoints (Endpoints/AdminNumbers.cs).</summary>
internal static class AdminNumbersDocs
{
    public const string Tag = "Operators: numbers";

    private const string Pool = "FC100000000000001";
    private const string X = "17150001001";

    public static RouteHandlerBuilder Buy(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Buy a virtual number into a pool")
        .WithDescription("BuySecretNo: takes one number of the SpecId on sale in the city (starting with the prefix, if given) into the pool. In a pool in local selection mode it is registered in the inventory at once and can be chosen for new bindings. Each call buys and bills a number, so the Idempotency-Key header is required: a retry with the same key replays the first answer. Audited as number.buy.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(
            new BuyNumberBody("北京", 1, null),
            (StatusCodes.Status201Created, Example.Number("unbound", "Available")),
            (StatusCodes.Status422UnprocessableEntity, ProblemExamples.Problem(422, "number.out_of_stock", "No number of SpecId 1 is on sale in 北京.", $"/v1/admin/pools/{Pool}/numbers/purchases")));

    public static RouteHandlerBuilder Detail(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("A number: the provider's status, its home, our inventory state and our open bindings on it")
        .WithDescription("QuerySecretNoDetail, with inventoryState (null when the pool is not in local selection mode) and openBindings (our Pending or Active bindings on the number).")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(null, (StatusCodes.Status200OK, Example.Number("bound", "Available", 1)), (StatusCodes.Status404NotFound, Example.NotFound()));

    public static RouteHandlerBuilder Release(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Release a number from a pool")
        .WithDescription("ReleaseSecretNo. Refused with 409 number.bound while any binding is on the number — one of ours (Pending or Active) or one the provider reports (QuerySubsId, or its own refusal for an expired binding not yet unbound); nothing is unbound by this call. A released number leaves our inventory. Releasing a number this service already released answers 204 again. Audited as number.release.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(
            null,
            (StatusCodes.Status409Conflict, ProblemExamples.Problem(409, "number.bound", $"Number {X} of pool {Pool} still carries 1 open binding(s) of ours: release or let them end before releasing the number. Nothing was unbound.", $"/v1/admin/pools/{Pool}/numbers/{X}")),
            (StatusCodes.Status404NotFound, Example.NotFound()));

    public static RouteHandlerBuilder Lock(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Lock a number: no new binding is put on it")
        .WithDescription("LockSecretNo. Existing bindings keep working; the number is no longer chosen (by us in a local pool, by the provider otherwise). Idempotent. Audited as number.lock.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(null, (StatusCodes.Status200OK, Example.Number("locked", "Locked")), (StatusCodes.Status404NotFound, Example.NotFound()));

    public static RouteHandlerBuilder Unlock(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Unlock a number")
        .WithDescription("UnlockSecretNo: the number can be chosen again (unless frozen). Idempotent. Audited as number.unlock.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(null, (StatusCodes.Status200OK, Example.Number("unbound", "Available")), (StatusCodes.Status404NotFound, Example.NotFound()));

    public static RouteHandlerBuilder Stock(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Numbers on sale, by city")
        .WithDescription("QuerySecretNoRemain. city: a city, 全国 (the nationwide total), 全国列表 (the total and one entry per city with stock) or 全国通用 (95 numbers, specId 3). specId defaults to 1; prefix counts only numbers starting with it.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(null, (StatusCodes.Status200OK, new NumberStock("全国列表", 1, 120, [new CityStock("杭州", 50), new CityStock("北京", 50), new CityStock("武汉", 20)])));

    public static RouteHandlerBuilder Audit(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("The operator audit: who changed which number or blacklist entry, and when")
        .WithDescription("Newest first, optionally for one pool (poolKey) or one subject (a number X). limit 1 to 500 (default 50); pass nextBefore as before for the next page.")
        .ProducesErrors(StatusCodes.Status400BadRequest)
        .WithExamples(
            null,
            (StatusCodes.Status200OK, new AuditPage(
                [
                    new AuditEntry(42, new DateTimeOffset(2026, 12, 3, 9, 30, 0, TimeSpan.Zero), "ops-console", "number.lock", Pool, X, null),
                    new AuditEntry(41, new DateTimeOffset(2026, 12, 3, 9, 29, 0, TimeSpan.Zero), "ops-console", "number.buy", Pool, X, "city=北京 specId=1"),
                ],
                41)));

    /// <summary>The values the examples show.</summary>
    private static class Example
    {
        public static AdminNumberView Number(string status, string state, int open = 0) => new(Pool, X, "北京", "北京市", status, state, open);

        public static Microsoft.AspNetCore.Mvc.ProblemDetails NotFound() =>
            ProblemExamples.Problem(404, "number.not_found", $"The provider has no such number in pool {Pool}.", $"/v1/admin/pools/{Pool}/numbers/{X}");
    }
}
