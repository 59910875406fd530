using System.Globalization;

namespace BindingService.Contract.Tests.Support;

/// <summary>Business times as the provider writes them: China wall clock (UTC+8), <c>yyyy-MM-dd HH:mm:ss</c> (docs/provider-rules.md, 'Value formats', B.1).</summary>
public static class ChinaTimes
{
    public const string Format = "yyyy-MM-dd HH:mm:ss";

    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>Now plus <paramref name="hours"/>, to the whole second (the wire carries no fraction).</summary>
    public static DateTimeOffset InHours(double hours) =>
        DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(hours).ToUnixTimeSeconds()).ToOffset(Offset);

    public static string Text(DateTimeOffset instant) => instant.ToOffset(Offset).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Parses a provider time; fails the test when it is not <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    public static DateTimeOffset Parse(string? text)
    {
        Assert.True(
            DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local),
            $"'{text}' is not {Format}.");
        return new DateTimeOffset(local, Offset);
    }
}
