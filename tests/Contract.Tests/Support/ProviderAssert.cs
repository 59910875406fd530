using BindingService.AliyunSimulator.Diagnostics;
using BindingService.Application.Abstractions;

namespace BindingService.Contract.Tests.Support;

/// <summary>Assertions on what our client returns: a success with its parsed response, or a <see cref="ProviderError"/>.</summary>
public static class ProviderAssert
{
    public static T Succeeds<T>(ProviderResult<T> result)
    {
        if (result.Error is { } error)
        {
            Assert.Fail($"Expected a success; the client returned {error.Kind} ({error.Code}).");
        }

        Assert.NotNull(result.Value);
        return result.Value!;
    }

    /// <summary>The provider refused the call with <paramref name="code"/>, which our client maps to <paramref name="kind"/>, and the outcome is known.</summary>
    public static void Fails<T>(ProviderResult<T> result, string code, ProviderErrorKind kind)
    {
        Assert.False(result.IsSuccess, $"Expected {code}; the call succeeded.");
        Assert.Equal(code, result.Error!.Code);
        Assert.Equal(kind, result.Error.Kind);
        Assert.False(result.Error.OutcomeUnknown);
    }
}

/// <summary>Assertions on phone numbers that never print one in clear (failure messages show it masked).</summary>
public static class PhoneAssert
{
    public static string Mask(string? number) => PhoneMask.Mask(number);

    public static void Equal(string? expected, string? actual) =>
        Assert.True(string.Equals(expected, actual, StringComparison.Ordinal), $"Expected {Mask(expected)}, got {Mask(actual)}.");

    public static void SetEqual(IEnumerable<string> expected, IEnumerable<string> actual)
    {
        var (e, a) = (expected.Order(StringComparer.Ordinal).ToList(), actual.Order(StringComparer.Ordinal).ToList());
        Assert.True(e.SequenceEqual(a), $"Expected [{string.Join(",", e.Select(Mask))}], got [{string.Join(",", a.Select(Mask))}].");
    }

    /// <summary>An 11-digit mobile number starting with 1 (docs/provider-rules.md, 'Value formats').</summary>
    public static void IsMobile(string? number) =>
        Assert.True(number is { Length: 11 } && number[0] == '1' && number.All(char.IsAsciiDigit), $"{Mask(number)} is not an 11-digit mobile number.");
}
