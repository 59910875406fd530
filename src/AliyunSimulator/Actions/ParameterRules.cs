using System.Globalization;

namespace BindingService.AliyunSimulator.Actions;

/// <summary>Value formats shared by the actions (docs/provider-rules.md, 'Requests and responses', 'Value formats', R-BIND-2, R-BIND-3).</summary>
public static class ParameterRules
{
    public const string ControlAxDisable = "CONTROL_AX_DISABLE";
    public const string ControlBxDisable = "CONTROL_BX_DISABLE";
    public const string ControlClearDisable = "CONTROL_CLEAR_DISABLE";

    /// <summary>Legacy (Alidayu) product types accepted instead of a PoolKey, with the pool product each stands for.</summary>
    public static readonly IReadOnlyDictionary<string, string> ProductTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AXB_170"] = "AXB",
        ["AXN_170"] = "AXN",
        ["AXN_95"] = "AXN",
        ["AXN_EXTENSION_REUSE"] = "AXN_EXTENSION",
    };

    /// <summary>Digits only: an 11-digit mobile number starting with 1, or a landline starting with 0 (area code included), 10–12 digits.</summary>
    public static bool IsPhoneNumber(string value) =>
        value.All(char.IsAsciiDigit)
        && ((value.Length == 11 && value[0] == '1') || (value[0] == '0' && value.Length is >= 10 and <= 12));

    /// <summary>Booleans are <c>true</c>/<c>false</c> on the wire; the documents also show <c>True</c>, so case is ignored.</summary>
    public static bool TryParseBool(string value, out bool result) => bool.TryParse(value, out result);

    public static bool TryParseInt(string value, out int result) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);

    /// <summary>An expiry must be more than one minute after now (R-BIND-2).</summary>
    public static bool IsAcceptableExpiry(DateTimeOffset expiryUtc, DateTimeOffset nowUtc) => expiryUtc > nowUtc.AddMinutes(1);

    /// <summary>A JSON object, as RingConfig must be (R-BIND-9).</summary>
    public static bool IsJsonObject(string value)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(value);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
