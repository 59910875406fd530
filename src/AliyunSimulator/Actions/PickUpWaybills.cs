using System.Text.Json;
using BindingService.AliyunSimulator.Responses;

namespace BindingService.AliyunSimulator.Actions;

/// <summary>
/// What the three pickup-waybill actions share (docs/provider-rules.md, 'Actions', 'Logistics'): JSON-in-parameter reading (docs/provider-rules.md, 'Requests and responses')
/// and the waybill body shapes. The two creates have no top-level <c>Code</c> but <c>HttpStatusCode</c> (R-FMT-3):
/// their business failures answer <c>HttpStatusCode: 200, Message: OK</c> with <c>Data.Success</c> false and
/// <c>Data.ErrorCode</c>/<c>ErrorMsg</c> set, as Cancel does for an unknown order (R-LOG-3) [inferred].
/// </summary>
public static class PickUpWaybills
{
    /// <summary>"None", the documents' <c>ErrorCode</c>/<c>ErrorMsg</c> on success.</summary>
    public const string None = "无";

    /// <summary>The couriers Cainiao assigns from when <c>CpCode</c> is omitted [sim].</summary>
    public static readonly IReadOnlyList<string> Couriers = ["YTO", "ZTO", "STO", "YUNDA"];

    public static readonly string[] AddressFields = ["ProvinceName", "CityName", "AreaName", "AddressDetail"];

    /// <summary>
    /// Reads a parameter holding a JSON object: null with <paramref name="json"/> set when it parses as an object and
    /// every field of <paramref name="requiredFields"/> is a non-blank string; else the error to answer.
    /// </summary>
    public static BusinessError? TryReadObject(string? text, string parameter, IReadOnlyList<string> requiredFields, out JsonElement json)
    {
        ArgumentNullException.ThrowIfNull(requiredFields);
        json = default;
        if (text is null)
        {
            return BusinessError.InvalidParameters($"{parameter} is required.");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return BusinessError.InvalidParameters($"{parameter} must be a JSON object.");
            }

            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return BusinessError.InvalidParameters($"{parameter} must be a JSON object.");
        }

        foreach (var field in requiredFields)
        {
            if (StringField(json, field) is null)
            {
                return BusinessError.InvalidParameters($"{parameter}.{field} is required.");
            }
        }

        return null;
    }

    /// <summary>A non-blank string field of a JSON object, or null.</summary>
    public static string? StringField(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object
        && json.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
        && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;

    /// <summary>The body of a create whose business call failed: <c>{RequestId, HttpStatusCode: 200, Message: OK, Data{Success: false, ErrorCode, ErrorMsg}}</c>.</summary>
    public static ActionResult Refused(BusinessError error, object success)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Answer(error.Code, new ResponseBody { { "Success", success }, { "ErrorCode", error.Code }, { "ErrorMsg", error.Message } });
    }

    /// <summary>A create's body: <c>{RequestId, HttpStatusCode: 200, Message: OK, Data}</c>, with no <c>Code</c> (R-FMT-3).</summary>
    public static ActionResult Answer(string loggedCode, ResponseBody data) => ActionResult.Shaped(loggedCode, requestId => new ResponseBody
    {
        { "RequestId", requestId },
        { "HttpStatusCode", StatusCodes.Status200OK },
        { "Message", "OK" },
        { "Data", data },
    });
}
