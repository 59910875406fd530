using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Application.Operators;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Aliyun;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Operators;

/// <summary>The PhoneNumberEncrypt authorisation id from the console, under <c>Aliyun:Dytnsapi:AuthCode</c> (may contain @, # and *).</summary>
public sealed class NumberEncryptionOptions
{
    public const string SectionName = "Aliyun:Dytnsapi";

    public string AuthCode { get; set; } = string.Empty;
}

/// <summary>
/// <see cref="INumberEncryption"/> on the Dytnsapi client: at most <see cref="Parallelism"/> calls at a time (the
/// client's own rate limiter applies on top). Numbers never reach a log: only counts are logged.
/// </summary>
public sealed partial class NumberEncryption(
    IDytnsapiClient client,
    IOptions<NumberEncryptionOptions> options,
    IOptions<AliyunOptions> aliyun,
    ILogger<NumberEncryption> logger) : INumberEncryption
{
    private const int Parallelism = 4;
    private const int MaxOutIdLength = 64;

    /// <inheritdoc />
    public async Task<Result<IReadOnlyList<EncryptedNumber>>> EncryptAsync(IReadOnlyList<NumberToEncrypt>? numbers, CancellationToken cancellationToken)
    {
        if (numbers is null || numbers.Count is 0 or > INumberEncryption.MaxBatch)
        {
            return Error.Validation(new Dictionary<string, string[]> { ["numbers"] = [$"1 to {INumberEncryption.MaxBatch} numbers."] });
        }

        var fields = new Dictionary<string, string[]>();
        for (var i = 0; i < numbers.Count; i++)
        {
            if (!PhoneNumber.TryParse(numbers[i].Number, out var parsed) || parsed.Digits.Length != 11 || parsed.Digits[0] != '1')
            {
                fields[$"numbers[{i}].number"] = ["An 11-digit mainland mobile number."];
            }

            if (numbers[i].OutId is { Length: > MaxOutIdLength })
            {
                fields[$"numbers[{i}].outId"] = [$"At most {MaxOutIdLength} characters."];
            }
        }

        if (fields.Count > 0)
        {
            return Error.Validation(fields);
        }

        if (string.IsNullOrWhiteSpace(options.Value.AuthCode))
        {
            return Error.Unavailable("encryption.not_configured", "Number encryption needs Aliyun:Dytnsapi:AuthCode (the authorisation id from the console).", TimeSpan.FromSeconds(60));
        }

        var results = new ProviderResult<PhoneNumberEncryptResponse>[numbers.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, numbers.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await client.PhoneNumberEncryptAsync(
                new PhoneNumberEncryptRequest { AuthCode = options.Value.AuthCode, InputNumber = PhoneNumber.Parse(numbers[i].Number).Digits, OutId = numbers[i].OutId },
                ct));

        if (results.FirstOrDefault(r => r.Error is not null).Error is { } error)
        {
            LogFailed(logger, numbers.Count, results.Count(r => r.Error is not null), error.Code);
            return error.Kind == ProviderErrorKind.AuthenticationFailed
                ? Error.Unavailable("encryption.misconfigured", "The provider refused our authorisation for number encryption (AuthCode, subscription or RAM permission).", TimeSpan.FromSeconds(60))
                : ProviderErrors.ToError(error, string.Empty, null);
        }

        var china = aliyun.Value.CreateChinaTime();
        LogEncrypted(logger, numbers.Count);
        return results.Select((r, i) =>
        {
            var data = r.Value!.Data![0];
            return new EncryptedNumber(
                PhoneNumber.Parse(numbers[i].Number).Masked,
                data.EncryptedNumber!,
                china.TryParse(data.ExpireTime, out var expires) ? expires : null,
                numbers[i].OutId);
        }).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted {Count} numbers")]
    private static partial void LogEncrypted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Encrypting {Count} numbers failed for {Failed} of them; first provider code {Code}")]
    private static partial void LogFailed(ILogger logger, int count, int failed, string code);
}
