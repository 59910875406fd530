using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Infrastructure.Operators;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests.Operators;

/// <summary>
/// Issue 14, the low-capacity event: a local pool driven under Operators:Capacity:LowFreePairs (its only number locked)
/// gives exactly one <c>PoolCapacityLow</c> on the broker, however many replicas check at once and across a restart,
/// and going back above gives exactly one <c>PoolCapacityRestored</c>. The test runs the checks itself (the background
/// watch is off in its hosts), so it counts on what the checks did, not on time.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class PoolCapacityEventTests(ServiceFixture fixture) : IAsyncLifetime
{
    private const string Pool = SimulatorHost.PoolKey;
    private const int Threshold = 150; // one number carries 200 pairs
    private readonly List<BindingServiceFactory> _hosts = [];
    private EventListener _events = null!;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _events = await EventListener.StartAsync(fixture.Servers.RabbitMqUri, fixture.ConnectionString, "BindingService.Contracts:IPoolEvent");
    }

    public async Task DisposeAsync()
    {
        await _events.DisposeAsync();
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task APoolUnderTheThreshold_PublishesOneLowEvent_AcrossReplicasAndARestart_ThenOneRestored()
    {
        var (client, check) = StartReplica();
        using var buy = new HttpRequestMessage(HttpMethod.Post, $"/v1/admin/pools/{Pool}/numbers/purchases") { Content = JsonContent.Create(new { city = "北京" }) };
        buy.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var bought = await client.SendAsync(buy);
        Assert.Equal(HttpStatusCode.Created, bought.StatusCode);
        var x = (await bought.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secretNo").GetString();
        Assert.Empty(await check.RunAsync(Threshold, CancellationToken.None)); // 200 free pairs: not low

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/v1/admin/pools/{Pool}/numbers/{x}/lock", null)).StatusCode);
        var (_, otherReplica) = StartReplica();
        var dropped = (await Task.WhenAll(check.RunAsync(Threshold, CancellationToken.None), otherReplica.RunAsync(Threshold, CancellationToken.None))).SelectMany(t => t).ToList();
        var low = Assert.Single(dropped);
        Assert.True(low.Low);
        Assert.Equal(0, low.FreePairs);
        Assert.Empty(await check.RunAsync(Threshold, CancellationToken.None)); // still low: nothing new
        var (_, restarted) = StartReplica();
        Assert.Empty(await restarted.RunAsync(Threshold, CancellationToken.None)); // the state survives a restart

        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/v1/admin/pools/{Pool}/numbers/{x}/lock")).StatusCode);
        var restored = (await Task.WhenAll(check.RunAsync(Threshold, CancellationToken.None), otherReplica.RunAsync(Threshold, CancellationToken.None))).SelectMany(t => t).ToList();
        Assert.False(Assert.Single(restored).Low);

        var events = await _events.AllOnceQuietAsync(e => e.Get("poolKey") == Pool, atLeast: 2);
        Assert.Equal(["PoolCapacityLow", "PoolCapacityRestored"], events.Select(e => e.MessageType));
        Assert.Equal("0", events[0].Get("freePairs"));
        Assert.Equal("150", events[0].Get("threshold"));
        Assert.Equal("200", events[1].Get("freePairs"));
    }

    /// <summary>A service instance with the pool in local mode and its background watch off; the test runs its check.</summary>
    private (HttpClient Client, PoolCapacityCheck Check) StartReplica()
    {
        var host = new BindingServiceFactory(fixture, new Dictionary<string, string?>
        {
            [$"Protection:NumberSelection:Pools:{Pool}:Mode"] = "local",
            ["Protection:NumberSelection:SyncOnStart"] = "false",
            ["Operators:Capacity:LowFreePairs"] = "0",
        });
        _hosts.Add(host);
        var client = host.CreateClient();
        return (client, host.Services.GetRequiredService<PoolCapacityCheck>());
    }
}
