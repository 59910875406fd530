using System.Globalization;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions;

/// <summary>The G-group rules shared by CreateAxgGroup, OperateAxgGroup, BindAxg and <c>updateAxgGroup</c> (docs/provider-rules.md, 'G groups (AXG)').</summary>
public static class AxgGroupRules
{
    /// <summary>At most 200 numbers per CreateAxgGroup or OperateAxgGroup call (R-GRP-1, R-GRP-4).</summary>
    public const int MaxNumbersPerCall = 200;

    public const int MaxNameLength = 128;

    public const int MaxRemarkLength = 256;

    /// <summary>A GroupId is a Long (sent as text; BindAxg and UpdateSubscription type it String, OperateAxgGroup Long).</summary>
    public static bool TryParseGroupId(string text, out long groupId) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out groupId) && groupId > 0;

    /// <summary>
    /// The comma-separated <c>Numbers</c> (ASCII commas: docs/provider-rules.md, 'Value formats'): each a phone number (R-BIND-3), at most 200 per call,
    /// repeats dropped. Blank entries (a trailing comma) are ignored.
    /// </summary>
    public static BusinessError? TryReadNumbers(string? text, out List<string> numbers)
    {
        numbers = [];
        if (text is null)
        {
            return null;
        }

        var listed = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (listed.Length > MaxNumbersPerCall)
        {
            return BusinessError.InvalidParameters($"Numbers holds more than {MaxNumbersPerCall} numbers.");
        }

        if (listed.Any(n => !ParameterRules.IsPhoneNumber(n)))
        {
            return BusinessError.MobileNumberIllegal("Numbers");
        }

        numbers = listed.Distinct(StringComparer.Ordinal).ToList();
        return null;
    }

    /// <summary>A group a binding may use: one of this pool (else <c>isv.INVALID_PARAMETERS</c>), with at least one number (R-BIND-10, else <c>isv.FORBIDDEN_ACTION</c>).</summary>
    public static BusinessError? TryFindUsableGroup(SimulatorState state, string poolKey, long groupId)
    {
        ArgumentNullException.ThrowIfNull(state);
        var group = state.FindGroup(poolKey, groupId);
        if (group is null)
        {
            return BusinessError.InvalidParameters("GroupId is not a G group of this pool.");
        }

        return group.Numbers.Count == 0
            ? BusinessError.ForbiddenAction("the G group has no number; add numbers with OperateAxgGroup first.")
            : null;
    }
}
