using BindingService.Infrastructure.Aliyun;

namespace BindingService.Infrastructure.Tests.Aliyun;

public sealed class ChinaTimeTests
{
    [Fact]
    public void Format_WritesUtcAsChinaWallClock()
    {
        Assert.Equal("2026-01-01 12:00:00", ChinaTime.Standard.Format(new DateTimeOffset(2026, 1, 1, 4, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Format_CrossesMidnightIntoTheChinaDate()
    {
        Assert.Equal("2026-01-01 07:59:59", ChinaTime.Standard.Format(new DateTimeOffset(2025, 12, 31, 23, 59, 59, 999, TimeSpan.Zero)));
    }

    [Fact]
    public void Parse_ReadsChinaWallClockAsUtc()
    {
        var utc = ChinaTime.Standard.Parse("2019-09-05 12:00:00");

        Assert.Equal(new DateTimeOffset(2019, 9, 5, 4, 0, 0, TimeSpan.Zero), utc);
        Assert.Equal(TimeSpan.Zero, utc.Offset);
    }

    [Fact]
    public void ParseOfFormat_RoundTripsToTheSecond()
    {
        var instant = new DateTimeOffset(2026, 7, 14, 3, 4, 5, TimeSpan.Zero);

        Assert.Equal(instant, ChinaTime.Standard.Parse(ChinaTime.Standard.Format(instant)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2019-02-30 12:00:00")]
    [InlineData("yesterday")]
    public void TryParse_RefusesWhatIsNotATime(string? text)
    {
        Assert.False(ChinaTime.Standard.TryParse(text, out _));
    }

    [Fact]
    public void AnotherOffset_IsHonoured()
    {
        Assert.Equal("2026-01-01 13:00:00", new ChinaTime(TimeSpan.FromHours(9)).Format(new DateTimeOffset(2026, 1, 1, 4, 0, 0, TimeSpan.Zero)));
    }
}
