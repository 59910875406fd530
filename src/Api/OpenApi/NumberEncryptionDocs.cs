using static BindingService.Api.Endpoints.NumberEncryption;

namespace BindingService.Api.OpenApi;

/// <summary>The OpenAPI description of the number-encryption endpoint (Endpoints/NumberEncryption.cs).</summary>
internal static class NumberEncryptionDocs
{
    public const string Tag = "Operators: number encryption";

    public static RouteHandlerBuilder Encrypt(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Encrypt real mobile numbers into temporary 140 numbers")
        .WithDescription("PhoneNumberEncrypt (Dytnsapi), one provider call per number, a few at a time. The answer shows each input masked next to the caller's outId; nothing is stored and no number is logged. Any provider failure fails the whole batch (nothing changes at the provider, so retry it). Needs Aliyun:Dytnsapi:AuthCode.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
        .WithExamples(
            new EncryptNumbersBody([new NumberToEncryptBody("13800138000", "customer-42")]),
            (StatusCodes.Status200OK, new EncryptedNumbers([new EncryptedNumberView("138****8000", "14012345678", new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero), "customer-42")])),
            (StatusCodes.Status503ServiceUnavailable, ProblemExamples.Problem(503, "encryption.misconfigured", "The provider refused our authorisation for number encryption (AuthCode, subscription or RAM permission).", "/v1/admin/number-encryption")));
}
