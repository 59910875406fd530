using System.Diagnostics.CodeAnalysis;

namespace BindingService.Domain.Common;

/// <summary>
/// A party's real phone number (A or B): digits only, an 11-digit mainland mobile or a landline
/// with its area code and no hyphen (docs/provider-rules.md, 'Value formats'). A leading "+86" or "86" country code is
/// accepted and dropped. <see cref="ToString"/> is masked, so an accidental log line never
/// carries the number in clear; <see cref="Digits"/> is for the provider adapter and encryption only.
/// </summary>
public sealed class PhoneNumber : IEquatable<PhoneNumber>
{
    private PhoneNumber(string digits) => Digits = digits;

    /// <summary>
    /// The number of an ended binding whose numbers were erased after their retention (docs/operations.md, "Retention"):
    /// no digits, masked as the empty string. Never sent to the provider: only ended bindings carry it.
    /// </summary>
    public static PhoneNumber Erased { get; } = new(string.Empty);

    /// <summary>Whether this is <see cref="Erased"/>.</summary>
    public bool IsErased => Digits.Length == 0;

    /// <summary>The number in clear. Never log it.</summary>
    public string Digits { get; }

    /// <summary>The number as it may be shown: first three and last four digits, e.g. 138****1234.</summary>
    public string Masked => Mask(Digits);

    public static bool TryParse(string? input, [NotNullWhen(true)] out PhoneNumber? number)
    {
        number = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            return false;
        }

        var s = input.Trim();
        if (s.StartsWith('+'))
        {
            if (!s.StartsWith("+86", StringComparison.Ordinal))
            {
                return false;
            }

            s = s[3..];
        }
        else if (s.Length == 13 && s.StartsWith("86", StringComparison.Ordinal))
        {
            s = s[2..];
        }

        if (!IsValidDigits(s))
        {
            return false;
        }

        number = new PhoneNumber(s);
        return true;
    }

    /// <summary>Parses or throws a <see cref="DomainException"/> whose message never contains the input.</summary>
    public static PhoneNumber Parse(string? input) =>
        TryParse(input, out var number)
            ? number
            : throw new DomainException("phone.invalid", "The phone number is not a valid mainland mobile or landline number.");

    /// <summary>11-digit mobile 1[3-9]xxxxxxxxx, or a landline 0 + area code + subscriber number (10 to 12 digits).</summary>
    public static bool IsValidDigits(string s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return s.Length switch
        {
            11 when s[0] == '1' => s[1] is >= '3' and <= '9',
            >= 10 and <= 12 when s[0] == '0' => s[1] != '0',
            _ => false,
        };
    }

    /// <summary>Masks any digit string the way numbers are printed here: 138****1234.</summary>
    public static string Mask(string? digits)
    {
        if (string.IsNullOrEmpty(digits))
        {
            return string.Empty;
        }

        return digits.Length <= 7
            ? new string('*', digits.Length)
            : string.Concat(digits.AsSpan(0, 3), "****", digits.AsSpan(digits.Length - 4));
    }

    public bool Equals(PhoneNumber? other) => other is not null && string.Equals(Digits, other.Digits, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as PhoneNumber);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Digits);

    public override string ToString() => Masked;

    public static bool operator ==(PhoneNumber? left, PhoneNumber? right) => Equals(left, right);

    public static bool operator !=(PhoneNumber? left, PhoneNumber? right) => !Equals(left, right);
}
