using System.Globalization;
using BindingService.AliyunSimulator.Configuration;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator;

/// <summary>
/// The simulator's one clock. "Now" comes from the injected <see cref="TimeProvider"/> (tests replace it); business
/// times are China wall-clock <c>yyyy-MM-dd HH:mm:ss</c> with no zone (docs/provider-rules.md, 'Value formats', B.1).
/// </summary>
public sealed class ChinaClock(TimeProvider timeProvider, IOptions<SimulatorOptions> options)
{
    public const string Pattern = "yyyy-MM-dd HH:mm:ss";

    public TimeSpan UtcOffset { get; } = TimeSpan.FromHours(options.Value.ChinaUtcOffsetHours);

    public DateTimeOffset UtcNow => timeProvider.GetUtcNow();

    /// <summary>The instant at the China offset (whole seconds are what the wire formats carry).</summary>
    public DateTimeOffset ToChina(DateTimeOffset instant) => instant.ToOffset(UtcOffset);

    public string Format(DateTimeOffset instant) => ToChina(instant).ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>Reads exactly <c>yyyy-MM-dd HH:mm:ss</c> as China time; the result is UTC.</summary>
    public bool TryParseBusinessTime(string? text, out DateTimeOffset utc)
    {
        utc = default;
        if (text is null || !DateTime.TryParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        utc = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), UtcOffset).ToUniversalTime();
        return true;
    }
}
