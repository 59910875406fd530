using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
using BindingService.Application.Common;
using BindingService.Application.Operators;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>Operators: buy, release, lock, unlock and inspect a pool's virtual numbers; the stock on sale; the audit (docs/api.md, "Operators: numbers").</summary>
public static class AdminNumbers
{
    public static RouteGroupBuilder MapAdminNumbers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin").WithTags(AdminNumbersDocs.Tag);
        group.MapPost("/pools/{poolKey}/numbers/purchases", BuyNumber).WithName(nameof(BuyNumber)).WithIdempotency<BuyNumberBody>().Describe(AdminNumbersDocs.Buy);
        group.MapGet("/pools/{poolKey}/numbers/{secretNo}", GetNumber).WithName(nameof(GetNumber)).Describe(AdminNumbersDocs.Detail);
        group.MapDelete("/pools/{poolKey}/numbers/{secretNo}", ReleaseNumber).WithName(nameof(ReleaseNumber)).Describe(AdminNumbersDocs.Release);
        group.MapPut("/pools/{poolKey}/numbers/{secretNo}/lock", LockNumber).WithName(nameof(LockNumber)).Describe(AdminNumbersDocs.Lock);
        group.MapDelete("/pools/{poolKey}/numbers/{secretNo}/lock", UnlockNumber).WithName(nameof(UnlockNumber)).Describe(AdminNumbersDocs.Unlock);
        group.MapGet("/number-stock", GetNumberStock).WithName(nameof(GetNumberStock)).Describe(AdminNumbersDocs.Stock);
        group.MapGet("/audit", GetAudit).WithName(nameof(GetAudit)).Describe(AdminNumbersDocs.Audit);
        return group;
    }

    /// <summary>What to buy.</summary>
    /// <param name="City">Home city of the number (全国通用 for 95 numbers).</param>
    /// <param name="SpecId">1 (170/171 numbers, the default), 2 (carrier numbers) or 3 (95 numbers).</param>
    /// <param name="Prefix">Optional: the start of the number wanted, 1 to 18 digits.</param>
    public sealed record BuyNumberBody(string? City, long? SpecId, string? Prefix);

    /// <summary>Buying is not repeatable at the provider (each call buys and bills a number): the Idempotency-Key header is required.</summary>
    public static async Task<Results<Created<AdminNumberView>, ErrorResult>> BuyNumber(
        string poolKey, BuyNumberBody? body, HttpContext http, INumberAdministration numbers, CallerContext caller, CancellationToken cancellationToken)
    {
        if (!http.Request.Headers.ContainsKey(IdempotencyFilter<BuyNumberBody>.HeaderName))
        {
            return new ErrorResult(Error.Validation(new Dictionary<string, string[]>
            {
                [IdempotencyFilter<BuyNumberBody>.HeaderName] = ["Required: buying a number is not repeatable, so a retry must carry the same key to be replayed instead of buying a second number."],
            }));
        }

        return body is null
            ? ErrorResult.MissingBody()
            : (await numbers.BuyAsync(poolKey, new BuyNumberOrder(body.City, body.SpecId, body.Prefix), caller.CallerId, cancellationToken))
                .ToCreated(n => $"/v1/admin/pools/{n.PoolKey}/numbers/{n.SecretNo}");
    }

    public static async Task<Results<Ok<AdminNumberView>, ErrorResult>> GetNumber(
        string poolKey, string secretNo, INumberAdministration numbers, CancellationToken cancellationToken) =>
        (await numbers.DetailAsync(poolKey, secretNo, cancellationToken)).ToOk();

    /// <summary>Idempotent: releasing a number this service already released answers 204 again.</summary>
    public static async Task<Results<NoContent, ErrorResult>> ReleaseNumber(
        string poolKey, string secretNo, INumberAdministration numbers, CallerContext caller, CancellationToken cancellationToken) =>
        (await numbers.ReleaseAsync(poolKey, secretNo, caller.CallerId, cancellationToken)).Error is { } error
            ? new ErrorResult(error)
            : TypedResults.NoContent();

    public static async Task<Results<Ok<AdminNumberView>, ErrorResult>> LockNumber(
        string poolKey, string secretNo, INumberAdministration numbers, CallerContext caller, CancellationToken cancellationToken) =>
        (await numbers.SetLockedAsync(poolKey, secretNo, locked: true, caller.CallerId, cancellationToken)).ToOk();

    public static async Task<Results<Ok<AdminNumberView>, ErrorResult>> UnlockNumber(
        string poolKey, string secretNo, INumberAdministration numbers, CallerContext caller, CancellationToken cancellationToken) =>
        (await numbers.SetLockedAsync(poolKey, secretNo, locked: false, caller.CallerId, cancellationToken)).ToOk();

    public static async Task<Results<Ok<NumberStock>, ErrorResult>> GetNumberStock(
        string? city, long? specId, string? prefix, INumberAdministration numbers, CancellationToken cancellationToken) =>
        (await numbers.StockAsync(city, specId, prefix, cancellationToken)).ToOk();

    /// <summary>Newest first; <c>before</c> is the <c>nextBefore</c> of the previous page.</summary>
    public static async Task<Results<Ok<AuditPage>, ErrorResult>> GetAudit(
        string? poolKey, string? subject, long? before, int? limit, IOperatorAuditLog audit, CancellationToken cancellationToken) =>
        (await audit.ReadAsync(poolKey, subject, before, limit, cancellationToken)).ToOk();
}
