using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// What every POP response (and the gateway's error body) carries: <c>Code</c> and <c>RequestId</c> (docs/provider-rules.md,
/// 'Requests and responses'). Also the response of the actions that return nothing else. <c>Message</c> (and every other free-text
/// provider message) is deliberately not modelled: the provider's text never leaves the adapter. The documents print
/// String fields as bare numbers and booleans as true/"true"/"True" (T42, T52, T55), so every field is read leniently.
/// </summary>
public class PopResponse
{
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.General)
    {
        PropertyNameCaseInsensitive = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    [JsonPropertyName("Code")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Code { get; init; }

    [JsonPropertyName("RequestId")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? RequestId { get; init; }

    /// <summary>Whether the provider reports success: <c>Code == OK</c> (R-FMT-3), unless the action says otherwise.</summary>
    internal virtual bool Succeeded => AliyunErrorMap.IsOk(Code);

    /// <summary>Whether a success carries the payload the action promises (an OK without it is a malformed answer).</summary>
    internal virtual bool IsComplete => true;

    /// <summary>The status to classify a failure by: the transport's, unless the body reports its own.</summary>
    internal virtual HttpStatusCode FailureStatus(HttpStatusCode transportStatus) => transportStatus;

    /// <summary>The body as <typeparamref name="T"/>, or null when it is not a JSON object (an HTML error page, an empty body).</summary>
    internal static T? TryRead<T>(ReadOnlySpan<byte> body)
        where T : PopResponse
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

    internal static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);
}
