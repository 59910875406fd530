using BindingService.Application.Common;

namespace BindingService.Application.Operators;

/// <summary>
/// PhoneNumberEncrypt (Dytnsapi; docs/api.md, "Operators: number encryption"): each real mobile number of a batch is
/// mapped to its temporary 140 number, one provider call per number (the provider takes exactly one). Nothing is
/// stored; the answer names each number only masked, next to the caller's out id.
/// </summary>
public interface INumberEncryption
{
    /// <summary>The most numbers one request may carry.</summary>
    const int MaxBatch = 100;

    /// <summary>
    /// Encrypts every number, in order. Validation names <c>numbers[i].number</c> or <c>numbers[i].outId</c>; any
    /// provider failure fails the whole batch with its error (the action changes nothing, so the batch can be retried).
    /// </summary>
    Task<Result<IReadOnlyList<EncryptedNumber>>> EncryptAsync(IReadOnlyList<NumberToEncrypt>? numbers, CancellationToken cancellationToken);
}

/// <summary>A real mobile number and the caller's id for it (at most 64 characters), echoed back.</summary>
public sealed record NumberToEncrypt(string? Number, string? OutId);

/// <summary>The 140 number of one input, valid until <see cref="ExpiresAt"/>; the input appears masked only.</summary>
public sealed record EncryptedNumber(string MaskedNumber, string EncryptedNumberValue, DateTimeOffset? ExpiresAt, string? OutId);
