using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

namespace BindingService.AliyunSimulator.Responses;

/// <summary>
/// Renders a <see cref="ResponseBody"/> as the POP gateway does: a flat JSON object, or XML under a named root
/// (<c>&lt;{Action}Response&gt;</c> for action responses, <c>&lt;Error&gt;</c> for gateway errors) with arrays as
/// repeated elements and no wrapper (docs/provider-rules.md, 'Requests and responses', R-FMT-1).
/// </summary>
public static class ResponseWriter
{
    public const string JsonContentType = "application/json;charset=utf-8";
    public const string XmlContentType = "application/xml;charset=utf-8";

    // As the gateway writes it: Chinese text and '&' (in Recommend URLs) unescaped. The body is application/json,
    // never embedded in HTML, which is the case the relaxed encoder is unsafe for.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly XmlWriterSettings XmlSettings = new() { Encoding = new UTF8Encoding(false), Indent = false };

    public static (byte[] Body, string ContentType) Render(ResponseBody body, ResponseFormat format, string xmlRoot) =>
        format == ResponseFormat.Xml ? (ToXml(body, xmlRoot), XmlContentType) : (ToJson(body), JsonContentType);

    public static byte[] ToJson(ResponseBody body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            WriteObject(writer, body);
        }

        return stream.ToArray();
    }

    public static byte[] ToXml(ResponseBody body, string root)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, XmlSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement(root);
            WriteFields(writer, body);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static void WriteObject(Utf8JsonWriter writer, ResponseBody body)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in body)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case ResponseBody nested:
                WriteObject(writer, nested);
                break;
            case IReadOnlyList<object> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"{value.GetType().Name} is not a response value type.");
        }
    }

    private static void WriteFields(XmlWriter writer, ResponseBody body)
    {
        foreach (var (name, value) in body)
        {
            if (value is IReadOnlyList<object> list)
            {
                foreach (var item in list)
                {
                    WriteElement(writer, name, item);
                }
            }
            else
            {
                WriteElement(writer, name, value);
            }
        }
    }

    private static void WriteElement(XmlWriter writer, string name, object value)
    {
        writer.WriteStartElement(name);
        switch (value)
        {
            case ResponseBody nested:
                WriteFields(writer, nested);
                break;
            case bool b:
                writer.WriteString(b ? "true" : "false");
                break;
            case int i:
                writer.WriteString(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case long l:
                writer.WriteString(l.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteString((string)value);
                break;
        }

        writer.WriteEndElement();
    }
}
