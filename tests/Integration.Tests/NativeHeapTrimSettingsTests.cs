using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// Hosting:NativeHeapTrimInterval (docs/configuration.md): 0 turns the trim off, otherwise 1 s to 1 day; anything else
/// stops the service at start, naming the setting, instead of trimming in a busy loop or never.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class NativeHeapTrimSettingsTests(ServiceFixture fixture)
{
    [Theory]
    [InlineData("00:00:00.500")]
    [InlineData("-00:00:01")]
    [InlineData("2.00:00:00")]
    public async Task AnIntervalOutsideItsRange_StopsTheServiceAtStart_NamingTheSetting(string interval)
    {
        await using var factory = new BindingServiceFactory(fixture, new Dictionary<string, string?> { ["Hosting:NativeHeapTrimInterval"] = interval });

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("NativeHeapTrimInterval", failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:01")]
    [InlineData("1.00:00:00")]
    public async Task AnIntervalInItsRange_IsTaken(string interval)
    {
        await using var factory = new BindingServiceFactory(fixture, new Dictionary<string, string?> { ["Hosting:NativeHeapTrimInterval"] = interval });

        using var client = factory.CreateClient();

        Assert.True((await client.GetAsync(new Uri("/health/live", UriKind.Relative))).IsSuccessStatusCode);
    }
}
