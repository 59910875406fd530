using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// The action parameters of one call, in the provider's wire formats (docs/provider-rules.md, 'Requests and responses', 'Value formats'). Each request writes
/// its own parameters through this builder, by their exact wire names:
/// strings as given; booleans lowercase <c>true</c>/<c>false</c> (bool.ToString() would say "True");
/// integers invariant decimal; business times as China wall-clock <c>yyyy-MM-dd HH:mm:ss</c>; lists joined with an
/// ASCII comma; Object/Array parameters as compact JSON text in one parameter. Optional values that are null (or
/// blank strings) are left out; a missing required value is a bug of the caller and throws.
/// </summary>
internal sealed class PopParameters(string action, ChinaTime chinaTime)
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // Compact, and Chinese text as itself (as in the documented examples); the value is percent-encoded on the wire anyway.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private readonly List<KeyValuePair<string, string>> items = [];

    public IReadOnlyList<KeyValuePair<string, string>> Items => items;

    /// <summary>A required string. Never printed: it may be a phone number.</summary>
    public void Add(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{action}: the parameter {name} is required.", name);
        }

        items.Add(new(name, value));
    }

    public void Add(string name, bool value) => items.Add(new(name, value ? "true" : "false"));

    public void Add(string name, long value) => items.Add(new(name, value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A business time, sent as China wall-clock time.</summary>
    public void Add(string name, DateTimeOffset value) => items.Add(new(name, chinaTime.Format(value)));

    public void AddOptional(string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            items.Add(new(name, value));
        }
    }

    public void AddOptional(string name, bool? value)
    {
        if (value is { } v)
        {
            Add(name, v);
        }
    }

    public void AddOptional(string name, long? value)
    {
        if (value is { } v)
        {
            Add(name, v);
        }
    }

    public void AddOptional(string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            Add(name, v);
        }
    }

    /// <summary>A comma-separated list (e.g. Numbers=13900001234,13900001111); empty or null is left out unless <paramref name="required"/>.</summary>
    public void AddList(string name, IReadOnlyCollection<string>? values, bool required)
    {
        if (values is null || values.Count == 0)
        {
            if (required)
            {
                throw new ArgumentException($"{action}: the parameter {name} needs at least one value.", name);
            }

            return;
        }

        if (values.Any(string.IsNullOrWhiteSpace) || values.Any(v => v.Contains(',', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"{action}: the values of {name} must be non-blank and must not contain a comma.", name);
        }

        items.Add(new(name, string.Join(',', values)));
    }

    /// <summary>A JSON object in one parameter (SendAddress, SenderInfo...).</summary>
    public void AddJson(string name, IPopJsonValue? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                throw new ArgumentException($"{action}: the parameter {name} is required.", name);
            }

            return;
        }

        items.Add(new(name, WriteJson(value.WriteJson)));
    }

    /// <summary>A JSON array of objects in one parameter (GoodsInfos); empty or null is left out.</summary>
    public void AddJsonArray<T>(string name, IReadOnlyList<T>? values)
        where T : IPopJsonValue
    {
        if (values is null || values.Count == 0)
        {
            return;
        }

        items.Add(new(name, WriteJson(writer =>
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                value.WriteJson(writer);
            }

            writer.WriteEndArray();
        })));
    }

    /// <summary>A JSON object of string values in one parameter (RingConfig), in the dictionary's order.</summary>
    public void AddJson(string name, IReadOnlyDictionary<string, string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return;
        }

        items.Add(new(name, WriteJson(writer =>
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        })));
    }

    private static string WriteJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>A value sent as JSON text inside one POP parameter. It writes its own members, by their wire names.</summary>
public interface IPopJsonValue
{
    void WriteJson(Utf8JsonWriter writer);
}

/// <summary>Helpers for <see cref="IPopJsonValue"/> implementations.</summary>
internal static class PopJson
{
    /// <summary>Writes a string member unless it is null.</summary>
    public static void WriteOptional(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Writes a number as a JSON string (the documents type Weight, Quantity as String: T88).</summary>
    public static void WriteOptionalAsString(this Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteString(name, v.ToString(CultureInfo.InvariantCulture));
        }
    }
}
