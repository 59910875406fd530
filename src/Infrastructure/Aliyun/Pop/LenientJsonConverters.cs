using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BindingService.Infrastructure.Aliyun;

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

/// <summary>
/// A list that may arrive as a JSON array, as a single object (the documents' XML examples show one element where
/// the JSON has an array: docs/provider-rules.md T86), or wrapped in an object under <c>wrapper</c> (RemainDTOList.remainDTO: T67).
/// Anything else is null.
/// </summary>
internal class LenientListConverter<T> : JsonConverter<IReadOnlyList<T>?>
{
    private readonly string? wrapper;

    public LenientListConverter()
        : this(null)
    {
    }

    protected LenientListConverter(string? wrapper) => this.wrapper = wrapper;

    public override bool HandleNull => true;

    public override IReadOnlyList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                var items = JsonSerializer.Deserialize<List<T?>>(ref reader, options) ?? [];
                return items.Where(i => i is not null).Select(i => i!).ToList();
            case JsonTokenType.StartObject when wrapper is not null:
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    var inner = document.RootElement.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, wrapper, StringComparison.OrdinalIgnoreCase));
                    var element = inner.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Object ? inner.Value : document.RootElement;
                    return element.ValueKind == JsonValueKind.Array
                        ? element.Deserialize<List<T?>>(options)?.Where(i => i is not null).Select(i => i!).ToList()
                        : element.Deserialize<T>(options) is { } one ? [one] : [];
                }

            case JsonTokenType.StartObject:
                return JsonSerializer.Deserialize<T>(ref reader, options) is { } single ? [single] : [];
            case JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                return null;
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T>? value, JsonSerializerOptions options) =>
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
