using System.Text.Json.Serialization;

namespace BindingService.Infrastructure.Aliyun;

// docs/provider-rules.md, 'Actions', 'Endpoint and version': Dytnsapi 2020-02-17, its own endpoint and credentials.

/// <summary>
/// PhoneNumberEncrypt (R-ENC-1..5). <see cref="AliyunCallKind.Query"/>: a RAM "get" action that maps one
/// number to its 140 number; a repeat at worst yields another mapping of the same number and changes no binding.
/// </summary>
public sealed record PhoneNumberEncryptRequest : PopRequest<PhoneNumberEncryptResponse>
{
    /// <summary>The only supported Mask.</summary>
    public const string NormalMask = "NORMAL";

    public override string Action => "PhoneNumberEncrypt";

    public override AliyunCallKind Kind => AliyunCallKind.Query;

    /// <summary>The authorization id from the console; may contain @, # and *.</summary>
    public required string AuthCode { get; init; }

    /// <summary>Exactly one number.</summary>
    public required string InputNumber { get; init; }

    public string Mask { get; init; } = NormalMask;

    /// <summary>At most 64 characters; echoed back.</summary>
    public string? OutId { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("AuthCode", AuthCode);
        parameters.Add("InputNumber", InputNumber);
        parameters.Add("Mask", Mask);
        parameters.AddOptional("OutId", OutId);
    }
}

/// <summary>Data is an array with one element (one number per call); a single object is read too.</summary>
public sealed class PhoneNumberEncryptResponse : PopResponse
{
    [JsonConverter(typeof(LenientListConverter<EncryptedNumberDto>))]
    public IReadOnlyList<EncryptedNumberDto>? Data { get; init; }

    internal override bool IsComplete => Data is { Count: > 0 } d && !IsBlank(d[0].EncryptedNumber);
}

public sealed class EncryptedNumberDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? OriginalNumber { get; init; }

    /// <summary>Starts with 140.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? EncryptedNumber { get; init; }

    /// <summary>China wall-clock text.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ExpireTime { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? OutId { get; init; }
}
