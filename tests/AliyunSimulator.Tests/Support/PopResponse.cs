using System.Net;
using System.Text.Json;

namespace BindingService.AliyunSimulator.Tests.Support;

/// <summary>What the simulator answered: status, content type, raw body and (for JSON) the parsed body.</summary>
public sealed record PopResponse(HttpStatusCode Status, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Code => Json.GetProperty("Code").GetString();

    public string? Message => Json.GetProperty("Message").GetString();

    public string? RequestId => Json.GetProperty("RequestId").GetString();

    public JsonElement Field(string name) => Json.GetProperty(name);

    public override string ToString() => $"{(int)Status} {Body}";
}
