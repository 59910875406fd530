using System.Globalization;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// Aliyun's business times (<c>Expiration</c>, <c>ExpireDate</c>, <c>GmtCreate</c>, receipts' <c>CallTime</c>)
/// are wall-clock China time written <c>yyyy-MM-dd HH:mm:ss</c> with no zone (docs/provider-rules.md, 'Value formats', B.1).
/// Inside the service every time is UTC; this converts at the adapter boundary and nowhere else.
/// </summary>
public sealed class ChinaTime(TimeSpan utcOffset)
{
    public const string Pattern = "yyyy-MM-dd HH:mm:ss";

    private static readonly string[] AcceptedPatterns = [Pattern, "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];

    /// <summary>UTC+8, China Standard Time (no daylight saving).</summary>
    public static ChinaTime Standard { get; } = new(TimeSpan.FromHours(8));

    public TimeSpan UtcOffset { get; } = utcOffset;

    /// <summary>The instant as China wall-clock time, whole seconds (fractions are dropped).</summary>
    public string Format(DateTimeOffset instant) =>
        instant.ToOffset(UtcOffset).ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>Reads a China wall-clock time; the result is in UTC (offset zero).</summary>
    public bool TryParse(string? text, out DateTimeOffset utc)
    {
        utc = default;
        if (string.IsNullOrWhiteSpace(text)
            || !DateTime.TryParseExact(text.Trim(), AcceptedPatterns, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        utc = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), UtcOffset).ToUniversalTime();
        return true;
    }

    public DateTimeOffset Parse(string text) =>
        TryParse(text, out var utc) ? utc : throw new FormatException($"Not a '{Pattern}' time.");

    internal DateTimeOffset? ParseOrNull(string? text) => TryParse(text, out var utc) ? utc : null;
}
