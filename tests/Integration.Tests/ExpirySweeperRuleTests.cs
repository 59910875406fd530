using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests;

/// <summary>
/// The expiry sweeper gives the number reservations of the bindings it expires back, in the transaction that expires
/// them (docs/decisions/0003-local-number-selection.md; NumberReservationRelease): otherwise every expired ride would
/// keep its X reserved for both parties forever, and a passenger would run out of numbers (invariant 1 in
/// docs/operations.md). Proved with the real sweeper of a service instance whose clock (and the simulator's) the test
/// moves past the expiry, and a pool of one number: the passenger cannot get a second binding on it until the sweeper
/// has expired the first.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class ExpirySweeperRuleTests(ServiceFixture fixture) : IAsyncLifetime
{
    private const string Pool = "FC900000000000019";
    private const string X = "17090000011";

    private readonly List<IAsyncDisposable> _hosts = [];

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync()
    {
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            await _hosts[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task TheSweeper_ReturnsTheNumberReservationsOfTheBindingsItExpires()
    {
        var clock = new OffsetTimeProvider();
        var client = await StartAsync(clock);
        var passenger = TestPhones.Next();

        var (firstOrder, firstBinding) = await ProtectAsync(client, clock, passenger);
        Assert.Equal(2L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM number_reservations WHERE binding_id = '{firstBinding}'")); // A and B on X
        Assert.Equal(1, await ActivePairsAsync());

        // The passenger already holds X: another ride of theirs finds no number (invariant 1).
        var refused = await client.PutAsJsonAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection", Body(clock, passenger));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("pool.exhausted", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);

        // The service's clock passes the expiry; nobody reads the binding, so only the sweeper (every 200 ms) can end it.
        clock.Advance(TimeSpan.FromMinutes(3));
        await WaitUntilAsync(async () => await fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE order_id = '{firstOrder}'") == "Expired");

        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE aggregate_id = '{firstBinding}' AND message_type = 'BindingExpired'"));
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM number_reservations WHERE binding_id = '{firstBinding}'"));
        Assert.Equal(0, await ActivePairsAsync());

        // X is the passenger's to use again.
        var (_, secondBinding) = await ProtectAsync(client, clock, passenger);
        Assert.Equal(X, await fixture.ScalarAsync<string>($"SELECT secret_no FROM bindings WHERE id = '{secondBinding}'"));
    }

    /// <summary>A simulator whose pool holds only <see cref="X"/>, and a service instance choosing X locally from it, on <paramref name="clock"/>.</summary>
    private async Task<HttpClient> StartAsync(OffsetTimeProvider clock)
    {
        // The provider on the same clock: it expires its side when ours passes the expiry, as it would in real time.
        var simulator = await ClockedSimulator.StartAsync(clock, $"Simulator:Pools:0:PoolKey={Pool}", "Simulator:Pools:0:Product=AXB", $"Simulator:Pools:0:Numbers:0:SecretNo={X}", "Simulator:Pools:0:Numbers:0:City=北京");
        _hosts.Add(simulator);
        var factory = new BindingServiceFactory(fixture, new Dictionary<string, string?>
        {
            ["Aliyun:Endpoint"] = simulator.BaseAddress.ToString(),
            ["Aliyun:Dytnsapi:Endpoint"] = simulator.BaseAddress.ToString(),
            ["Aliyun:PoolKey"] = Pool,
            ["Protection:RidePoolKey"] = Pool,
            ["Protection:Pools:Axb"] = Pool,
            ["Protection:NumberSelection:SyncOnStart"] = "false",
            [$"Protection:NumberSelection:Pools:{Pool}:Mode"] = "local",
            [$"Protection:NumberSelection:Pools:{Pool}:Numbers:0"] = X,
            ["Jobs:ExpirySweeper:Enabled"] = "true",
            ["Jobs:ExpirySweeper:Interval"] = "00:00:00.200",
        });
        _hosts.Add(factory);
        var host = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        _hosts.Add(host);
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/v1/admin/pools/{Pool}/sync", null)).StatusCode);
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM pool_numbers WHERE pool_key = '{Pool}' AND state = 'Available'"));
        return client;
    }

    /// <summary>Protects a new ride of <paramref name="passenger"/> expiring just over the minimum TTL (2 min) from the service's now.</summary>
    private static async Task<(string OrderId, Guid BindingId)> ProtectAsync(HttpClient client, TimeProvider clock, string passenger)
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        var response = await client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", Body(clock, passenger));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"protect answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(X, body.GetProperty("virtualNumber").GetString());
        return (orderId, Guid.Parse(body.GetProperty("bindingId").GetString()!));
    }

    private static object Body(TimeProvider clock, string passenger) =>
        new { passengerPhone = passenger, driverPhone = TestPhones.Next(), city = "北京", expiresAt = clock.GetUtcNow() + TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(15) };

    private Task<int> ActivePairsAsync() => fixture.ScalarAsync<int>($"SELECT active_pairs FROM pool_numbers WHERE pool_key = '{Pool}' AND secret_no = '{X}'");

    /// <summary>Polls a state the service reaches by itself; 20 s covers a loaded 2-core machine (the sweeper runs every 200 ms).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweeper did not expire the binding within 20 s");
            await Task.Delay(100); // pacing: a poll
        }
    }
}
