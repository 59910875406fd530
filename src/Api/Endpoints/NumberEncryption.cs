using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
using BindingService.Application.Operators;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>Operators: real mobile numbers to their temporary 140 numbers (PhoneNumberEncrypt; docs/api.md, "Operators: number encryption").</summary>
public static class NumberEncryption
{
    public static RouteGroupBuilder MapNumberEncryption(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/number-encryption").WithTags(NumberEncryptionDocs.Tag);
        group.MapPost("/", EncryptNumbers).WithName(nameof(EncryptNumbers)).Describe(NumberEncryptionDocs.Encrypt);
        return group;
    }

    /// <summary>The numbers to encrypt.</summary>
    /// <param name="Numbers">1 to 100 entries: a real 11-digit mobile number and an optional id of the caller's, echoed back.</param>
    public sealed record EncryptNumbersBody(IReadOnlyList<NumberToEncryptBody>? Numbers);

    /// <summary>One number to encrypt.</summary>
    /// <param name="Number">The real mobile number.</param>
    /// <param name="OutId">The caller's id for it, at most 64 characters, echoed back.</param>
    public sealed record NumberToEncryptBody(string? Number, string? OutId);

    /// <summary>The encrypted numbers, in the order asked.</summary>
    public sealed record EncryptedNumbers(IReadOnlyList<EncryptedNumberView> Numbers);

    /// <summary>One encrypted number: the input masked, its 140 number, until when it is valid, the caller's id.</summary>
    public sealed record EncryptedNumberView(string MaskedNumber, string EncryptedNumber, DateTimeOffset? ExpiresAt, string? OutId);

    public static async Task<Results<Ok<EncryptedNumbers>, ErrorResult>> EncryptNumbers(
        EncryptNumbersBody? body, INumberEncryption encryption, CancellationToken cancellationToken) =>
        body is null
            ? ErrorResult.MissingBody()
            : (await encryption.EncryptAsync(body.Numbers?.Select(n => new NumberToEncrypt(n?.Number, n?.OutId)).ToList(), cancellationToken))
                .ToOk(numbers => new EncryptedNumbers(numbers.Select(n => new EncryptedNumberView(n.MaskedNumber, n.EncryptedNumberValue, n.ExpiresAt, n.OutId)).ToList()));
}
