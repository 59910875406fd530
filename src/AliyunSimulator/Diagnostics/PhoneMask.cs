using System.Text.RegularExpressions;

namespace BindingService.AliyunSimulator.Diagnostics;

/// <summary>The simulator logs no phone number in clear: numbers are masked as <c>138****1234</c>.</summary>
public static partial class PhoneMask
{
    /// <summary>First three and last four digits kept; anything of seven characters or fewer is fully masked.</summary>
    public static string Mask(string? number) => number switch
    {
        null or "" => "-",
        { Length: <= 7 } => new string('*', number.Length),
        _ => string.Concat(number.AsSpan(0, 3), "****", number.AsSpan(number.Length - 4)),
    };

    /// <summary>Masks every run of seven or more digits in free text (used for values a caller controls, such as an unknown Action).</summary>
    public static string MaskDigitRuns(string? text, int maxLength = 64)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "-";
        }

        var clipped = text.Length > maxLength ? text[..maxLength] + "…" : text;
        return DigitRun().Replace(clipped, m => Mask(m.Value));
    }

    [GeneratedRegex("[0-9]{7,}", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();
}
