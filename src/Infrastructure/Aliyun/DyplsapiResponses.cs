using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BindingService.Infrastructure.Aliyun;

// Response bodies (API-DIGEST §1.4, §3.1, §3.7–3.9). Message is deliberately not modelled: the provider's
// text never leaves the adapter. The documents print several String fields as bare numbers and booleans as
// true/"true"/"True" (T52, T55), so every field is read leniently.

/// <summary>What every Dyplsapi response (and the POP gateway's error body) carries.</summary>
internal class DyplsapiResponse
{
    [JsonPropertyName("Code")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Code { get; init; }

    [JsonPropertyName("RequestId")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? RequestId { get; init; }

    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.General)
    {
        PropertyNameCaseInsensitive = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The body as <typeparamref name="T"/>, or null when it is not a JSON object (an HTML error page, an empty body).</summary>
    public static T? TryRead<T>(ReadOnlySpan<byte> body)
        where T : DyplsapiResponse
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body, SerializerOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed class BindAxbResponse : DyplsapiResponse
{
    [JsonPropertyName("SecretBindDTO")]
    public SecretBindDto? SecretBind { get; init; }
}

internal sealed class SecretBindDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? SubsId { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? SecretNo { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Extension { get; init; }
}

internal sealed class QuerySubscriptionDetailResponse : DyplsapiResponse
{
    [JsonPropertyName("SecretBindDetailDTO")]
    public SecretBindDetailDto? Detail { get; init; }
}

internal sealed class SecretBindDetailDto
{
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? Status { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? SubsId { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? PhoneNoA { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? PhoneNoB { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? PhoneNoX { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Extension { get; init; }

    [JsonConverter(typeof(LenientInt64Converter))]
    public long? GroupId { get; init; }

    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? NeedRecord { get; init; }

    [JsonPropertyName("ASRStatus")]
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? AsrStatus { get; init; }

    [JsonPropertyName("ASRModelId")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? AsrModelId { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? GmtCreate { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? ExpireDate { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? CallRestrict { get; init; }
}

/// <summary>A string that may arrive as a JSON string, a bare number (kept digit for digit) or a boolean; anything else is null.</summary>
internal sealed class LenientStringConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Responses are only read.");
}

/// <summary>A boolean that may arrive as true, "true", "True", 1 or "1"; anything unreadable is null.</summary>
internal sealed class LenientBooleanConverter : JsonConverter<bool?>
{
    public override bool HandleNull => true;

    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String:
                var s = reader.GetString()?.Trim();
                return bool.TryParse(s, out var b) ? b : s switch { "1" => true, "0" => false, _ => null };
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var n) ? n != 0 : null;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Responses are only read.");
}

/// <summary>A 64-bit integer that may arrive as a number or a numeric string; anything unreadable is null.</summary>
internal sealed class LenientInt64Converter : JsonConverter<long?>
{
    public override bool HandleNull => true;

    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var n) ? n : null;
            case JsonTokenType.String:
                return long.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Responses are only read.");
}
