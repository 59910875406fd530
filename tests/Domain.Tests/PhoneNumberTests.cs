using BindingService.Domain.Common;

namespace BindingService.Domain.Tests;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("13800138000", "13800138000")]
    [InlineData("+8613800138000", "13800138000")]
    [InlineData("8613800138000", "13800138000")]
    [InlineData(" 19912345678 ", "19912345678")]
    [InlineData("01012345678", "01012345678")]
    [InlineData("057188996688", "057188996688")]
    [InlineData("0571889966", "0571889966")]
    public void TryParse_AcceptsMobilesAndLandlines(string input, string digits)
    {
        Assert.True(PhoneNumber.TryParse(input, out var number));
        Assert.Equal(digits, number.Digits);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1380013800")]
    [InlineData("138001380001")]
    [InlineData("12800138000")]
    [InlineData("138-0013-8000")]
    [InlineData("138 0013 8000")]
    [InlineData("+14155550100")]
    [InlineData("00012345678")]
    [InlineData("abcdefghijk")]
    public void TryParse_RefusesAnythingElse(string? input)
    {
        Assert.False(PhoneNumber.TryParse(input, out _));
    }

    [Fact]
    public void Masked_ShowsFirstThreeAndLastFourDigits()
    {
        Assert.Equal("138****8000", PhoneNumber.Parse("13800138000").Masked);
        Assert.Equal("010****5678", PhoneNumber.Parse("01012345678").Masked);
    }

    [Fact]
    public void ToString_NeverShowsTheNumberInClear()
    {
        var number = PhoneNumber.Parse("13800138000");

        Assert.Equal("138****8000", number.ToString());
        Assert.DoesNotContain("13800138000", $"{number}");
    }

    [Fact]
    public void Parse_Failure_DoesNotEchoTheInput()
    {
        var ex = Assert.Throws<DomainException>(() => PhoneNumber.Parse("1380013800X"));
        Assert.DoesNotContain("1380013800", ex.Message);
    }

    [Fact]
    public void Numbers_WithTheSameDigits_AreEqual()
    {
        Assert.Equal(PhoneNumber.Parse("+8613800138000"), PhoneNumber.Parse("13800138000"));
        Assert.True(PhoneNumber.Parse("13800138000") == PhoneNumber.Parse("13800138000"));
        Assert.NotEqual(PhoneNumber.Parse("13800138000"), PhoneNumber.Parse("13800138001"));
    }
}
