using BindingService.Infrastructure.Numbers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Tests.Numbers;

/// <summary>
/// Protection:NumberSelection:Pools:{key}:Ranges (issue 16 item 4): a range that cannot be expanded is refused when the
/// service starts, naming the key, instead of failing every pool sync (500) and every reconciler run later.
/// </summary>
public sealed class NumberRangeValidationTests
{
    private const string Pool = "FC100000000000001";
    private const string Range = $"Protection:NumberSelection:Pools:{Pool}:Ranges:0";

    private static ServiceProvider Build(string start, int count) =>
        new ServiceCollection()
            .AddLogging()
            .AddLocalNumberSelection(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"Protection:NumberSelection:Pools:{Pool}:Mode"] = "Local",
                [$"{Range}:Start"] = start,
                [$"{Range}:Count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }).Build())
            .BuildServiceProvider();

    [Theory]
    [InlineData("99999999999999999999", 2)] // the 21st digit: more than the 20 a number may have
    [InlineData("99999999999999999990", 100)]
    [InlineData("99999", 2)] // 100000: a range keeps Start's length
    [InlineData("99999999999", 2)] // an 11-digit range into 12 digits
    public void ARangeThatRunsPastItsDigits_IsRefusedAtStartUp_NamingTheKey(string start, int count)
    {
        using var services = Build(start, count);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(Range, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("17000000001", 20)]
    [InlineData("17099999990", 10)]
    [InlineData("18446744073709551615", 1)] // the largest 64-bit value
    [InlineData("99999999999999999998", 2)]
    public void ARangeThatKeepsItsLength_Passes(string start, int count)
    {
        using var services = Build(start, count);

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void ATwentyDigitRange_Expands_WithoutOverflow()
    {
        // Above the largest 64-bit value (18446744073709551615): the expansion of a valid range must not overflow.
        var range = new NumberRangeOptions { Start = "18446744073709551616", Count = 3 };

        Assert.Equal(["18446744073709551616", "18446744073709551617", "18446744073709551618"], range.Expand());
    }

    [Fact]
    public void ARangeKeepsLeadingZeros()
    {
        var range = new NumberRangeOptions { Start = "00998", Count = 3 };

        Assert.Equal(["00998", "00999", "01000"], range.Expand());
    }
}
