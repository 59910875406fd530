using BindingService.Application.Abstractions;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Aliyun;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests;

/// <summary>Our signed Dyplsapi client against the simulator over HTTP: the four skeleton actions, and a refused signature.</summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class ProviderClientTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.Simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private ServiceProvider NewClient(string secret)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aliyun:Endpoint"] = fixture.Simulator.BaseAddress.ToString(),
            ["Aliyun:AccessKeyId"] = SimulatorHost.AccessKeyId,
            ["Aliyun:AccessKeySecret"] = secret,
            ["Aliyun:PoolKey"] = SimulatorHost.PoolKey,
        }).Build();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddLogging();
        services.AddAliyunPrivacyNumberProvider(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task ARequestSignedWithTheWrongSecret_IsRefusedWithSignatureDoesNotMatch()
    {
        await using var provider = NewClient("not-the-secret");
        var client = provider.GetRequiredService<IPrivacyNumberProvider>();

        var result = await client.QuerySubscriptionDetailAsync(new SubscriptionRef(SimulatorHost.PoolKey, "1000000000000001", "17000000001"), CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal("SignatureDoesNotMatch", result.Error!.Code);
        Assert.Equal(ProviderErrorKind.AuthenticationFailed, result.Error.Kind);
    }

    [Fact]
    public async Task Bind_Update_Query_Unbind_RoundTripThroughTheSimulator()
    {
        await using var provider = NewClient(SimulatorHost.AccessKeySecret);
        var client = provider.GetRequiredService<IPrivacyNumberProvider>();
        var a = PhoneNumber.Parse(TestPhones.Next());
        var b = PhoneNumber.Parse(TestPhones.Next());
        var newB = PhoneNumber.Parse(TestPhones.Next());
        var expiresAt = new DateTimeOffset(DateTime.UtcNow.AddHours(1).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

        var bound = await client.BindAsync(new BindRequest(Domain.Bindings.BindingProduct.Axb, SimulatorHost.PoolKey, a, b, expiresAt, OutId: "our-binding-1", ExpectCity: "上海"), CancellationToken.None);
        Assert.True(bound.IsSuccess, bound.Error?.Code);
        var subscription = new SubscriptionRef(SimulatorHost.PoolKey, bound.Value!.SubsId, bound.Value.SecretNo);

        var updated = await client.UpdateSubscriptionAsync(new SubscriptionUpdate.ChangePartyB(subscription, newB), CancellationToken.None);
        Assert.True(updated.IsSuccess, updated.Error?.Code);

        var detail = await client.QuerySubscriptionDetailAsync(subscription, CancellationToken.None);
        Assert.True(detail.IsSuccess, detail.Error?.Code);
        Assert.True(detail.Value!.InEffect);
        Assert.Equal(a, detail.Value.PartyA);
        Assert.Equal(newB, detail.Value.PartyB);
        Assert.Equal(expiresAt, detail.Value.ExpiresAt); // sent and read back as China time, compared in UTC

        var unbound = await client.UnbindSubscriptionAsync(subscription, CancellationToken.None);
        Assert.True(unbound.IsSuccess, unbound.Error?.Code);
        var gone = await client.QuerySubscriptionDetailAsync(subscription, CancellationToken.None);
        Assert.Equal(ProviderErrorKind.SubscriptionNotFound, gone.Error?.Kind);
    }
}
