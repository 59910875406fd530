using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;
using Npgsql;

namespace BindingService.Integration.Tests;

/// <summary>
/// Local number selection (docs/decisions/0003-local-number-selection.md; invariant 1 in docs/operations.md) through the real service, database and a simulator whose
/// pool this test configures: the service chooses X from its inventory and passes it as PhoneNoX.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class LocalNumberSelectionTests(ServiceFixture fixture) : IAsyncLifetime
{
    private const string Pool = "FC900000000000009";
    private const string X1 = "17090000001";
    private const string X2 = "17090000002";
    private const string X3 = "17090000003";

    private readonly List<IAsyncDisposable> _hosts = [];
    private readonly List<string> _orders = [];
    private SimulatorHost? _simulator;

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Invariant1_PassengerWithThreeDrivers_GetsNoFourthNumber_UntilOneRideEnds()
    {
        var client = await StartAsync([(X1, "北京", false), (X2, "北京", false), (X3, "北京", false)]);
        var passenger = TestPhones.Next();

        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            numbers.Add(await ProtectAsync(client, $"ride-{i}-{Guid.NewGuid():N}", passenger, TestPhones.Next(), "北京"));
        }

        Assert.Equal([X1, X2, X3], numbers.Order());

        var fourthOrder = $"ride-4-{Guid.NewGuid():N}";
        var refused = await client.PutAsJsonAsync($"/v1/ride-orders/{fourthOrder}/protection", new { passengerPhone = passenger, driverPhone = TestPhones.Next(), city = "北京" });
        await AssertExhaustedAsync(refused, "北京");
        Assert.Equal(3, (await SimulatorBindingsAsync()).Count); // the refused binding never reached the provider

        // One ride ends: its X is free for the passenger again.
        var ended = await client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{_orders[0]}/protection");
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/v1/ride-orders/{_orders[0]}/protection")).StatusCode);
        Assert.Equal(4L, await fixture.ScalarAsync<long>("SELECT count(*) FROM number_reservations"));

        var again = await client.PutAsJsonAsync($"/v1/ride-orders/{fourthOrder}/protection", new { passengerPhone = passenger, driverPhone = TestPhones.Next(), city = "北京" });
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(ended.GetProperty("virtualNumber").GetString(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("virtualNumber").GetString());
        Assert.Equal(6L, await fixture.ScalarAsync<long>("SELECT count(*) FROM number_reservations"));
        Assert.Equal(3L, await fixture.ScalarAsync<long>($"SELECT sum(active_pairs) FROM pool_numbers WHERE pool_key = '{Pool}'"));
    }

    [Fact]
    public async Task MaxPairsPerNumber_IsEnforced_LeastLoadedFirst()
    {
        var client = await StartAsync([(X1, "北京", false), (X2, "北京", false)], ("MaxPairsPerNumber", "2"));

        var first = await ProtectAsync(client, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next(), "北京");
        var second = await ProtectAsync(client, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next(), "北京");
        Assert.NotEqual(first, second); // least loaded first: the second pair goes to the empty X
        await ProtectAsync(client, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next(), "北京");
        await ProtectAsync(client, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next(), "北京");

        var refused = await client.PutAsJsonAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next(), city = "北京" });
        await AssertExhaustedAsync(refused, "北京");
        Assert.Equal(2L, await fixture.ScalarAsync<long>($"SELECT min(active_pairs) FROM pool_numbers WHERE pool_key = '{Pool}'"));
        Assert.Equal(2L, await fixture.ScalarAsync<long>($"SELECT max(active_pairs) FROM pool_numbers WHERE pool_key = '{Pool}'"));
        Assert.Equal(4, (await SimulatorBindingsAsync()).Count);
    }

    [Fact]
    public async Task ThePoolsNumbers_AreListedInPages()
    {
        var client = await StartAsync([(X1, "北京", false), (X2, "北京", false), (X3, "北京", false)]);

        var first = await client.GetFromJsonAsync<JsonElement>($"/v1/admin/pools/{Pool}/numbers?limit=2");
        Assert.Equal([X1, X2], first.GetProperty("numbers").EnumerateArray().Select(n => n.GetProperty("secretNo").GetString()));
        Assert.Equal(X2, first.GetProperty("nextAfter").GetString());
        var last = await client.GetFromJsonAsync<JsonElement>($"/v1/admin/pools/{Pool}/numbers?limit=2&after={X2}");
        Assert.Equal([X3], last.GetProperty("numbers").EnumerateArray().Select(n => n.GetProperty("secretNo").GetString()));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("nextAfter").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/v1/admin/pools/{Pool}/numbers?limit=0")).StatusCode);
    }

    [Fact]
    public async Task LockedNumbers_AreSkipped()
    {
        var client = await StartAsync([(X1, "北京", true), (X2, "北京", false), (X3, "北京", false)]);
        var inventory = await client.GetFromJsonAsync<JsonElement>($"/v1/admin/pools/{Pool}/numbers");
        Assert.Equal("Locked", inventory.GetProperty("numbers").EnumerateArray().Single(n => n.GetProperty("secretNo").GetString() == X1).GetProperty("state").GetString());

        var passenger = TestPhones.Next();
        var got = new[]
        {
            await ProtectAsync(client, $"ride-{Guid.NewGuid():N}", passenger, TestPhones.Next(), "北京"),
            await ProtectAsync(client, $"ride-{Guid.NewGuid():N}", passenger, TestPhones.Next(), "北京"),
        };

        Assert.Equal([X2, X3], got.Order());
        var refused = await client.PutAsJsonAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection", new { passengerPhone = passenger, driverPhone = TestPhones.Next(), city = "北京" });
        await AssertExhaustedAsync(refused, "北京");
    }

    [Fact]
    public async Task CityPreference_ThenRankedFallbackCities_ThenAnyCity()
    {
        // Registered through the admin endpoint (nothing configured in the pool's number list).
        var client = await StartAsync([(X1, "上海", false), (X2, "北京", false), (X3, "杭州", false)], ("FallbackCities:0", "杭州"), register: true);
        var passenger = TestPhones.Next();

        var got = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            got.Add(await ProtectAsync(client, $"ride-{Guid.NewGuid():N}", passenger, TestPhones.Next(), "北京"));
        }

        Assert.Equal([X2, X3, X1], got); // 北京, then the ranked fallback 杭州, then any city (上海)
    }

    [Fact]
    public async Task StrictPool_FailsInsteadOfFallingBack()
    {
        var client = await StartAsync([(X1, "上海", false), (X2, "北京", false), (X3, "杭州", false)], ("Strict", "true"), ("FallbackCities:0", "杭州"));
        var passenger = TestPhones.Next();

        Assert.Equal(X2, await ProtectAsync(client, $"ride-{Guid.NewGuid():N}", passenger, TestPhones.Next(), "北京"));
        var refused = await client.PutAsJsonAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection", new { passengerPhone = passenger, driverPhone = TestPhones.Next(), city = "北京" });

        await AssertExhaustedAsync(refused, "北京");
        Assert.Single(await SimulatorBindingsAsync());
    }

    [Fact]
    public async Task StickyPool_GivesAPartyTheNumberItHadLastTime()
    {
        var client = await StartAsync([(X1, "北京", false), (X2, "北京", false), (X3, "北京", false)], ("Sticky", "true"));
        var passenger = TestPhones.Next();

        var firstRide = $"ride-{Guid.NewGuid():N}";
        Assert.Equal(X1, await ProtectAsync(client, firstRide, passenger, TestPhones.Next(), "北京"));
        Assert.Equal(X2, await ProtectAsync(client, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next(), "北京"));
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/v1/ride-orders/{firstRide}/protection")).StatusCode);
        Assert.Equal(X1, await ProtectAsync(client, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next(), "北京"));

        // X1 and X2 carry one pair, X3 none: least-loaded would give X3; sticky gives the passenger X1 again.
        Assert.Equal(X1, await ProtectAsync(client, $"ride-{Guid.NewGuid():N}", passenger, TestPhones.Next(), "北京"));
    }

    [Fact]
    public async Task AChangeOurStoreRefusesAfterTheProviderMadeIt_Is409NamingTheRule_NotA503_AndOursIsKept()
    {
        var client = await StartAsync([(X1, "北京", false)]);
        var orderId = $"ride-{Guid.NewGuid():N}";
        var driver = TestPhones.Next();
        var x = await ProtectAsync(client, orderId, TestPhones.Next(), driver, "北京");
        var newDriver = TestPhones.Next();

        // Our reservations already hold the new driver on X (data only we have: the provider accepts the change).
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO number_reservations (binding_id, party_role, pool_key, secret_no, party_hash, created_at) VALUES (@id, 'B', @pool, @x, @hash, now())", connection);
            insert.Parameters.AddWithValue("id", Guid.NewGuid());
            insert.Parameters.AddWithValue("pool", Pool);
            insert.Parameters.AddWithValue("x", x);
            insert.Parameters.AddWithValue("hash", System.Security.Cryptography.HMACSHA256.HashData(Convert.FromBase64String(ServiceFixture.HashKey), System.Text.Encoding.ASCII.GetBytes(newDriver)));
            await insert.ExecuteNonQueryAsync();
        }

        var refused = await client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection/driver", new { driverPhone = newDriver });

        // A retry would fail the same way: 409 with the rule, no Retry-After (it used to be a 503 that invited retries forever).
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Null(refused.Headers.RetryAfter);
        Assert.Equal("number.party_reserved_on_x", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        // Ours is kept and stays the truth; the provider made the change and is left for the drift check to put back
        // (docs/operations.md, "Reconciler"; ReconcilerTests prove the push-back).
        var ours = await client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection");
        Assert.Equal($"{driver[..3]}****{driver[^4..]}", ours.GetProperty("driverPhone").GetString());
        Assert.Equal(newDriver, Assert.Single(await SimulatorBindingsAsync()).GetProperty("phoneNoB").GetString());
    }

    [Fact]
    public async Task Invariant1_TheUniqueIndexItself_RefusesASecondReservationOfAPartyOnX()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        var partyHash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        const string insert = "INSERT INTO number_reservations (binding_id, party_role, pool_key, secret_no, party_hash, created_at) VALUES (@id, 'A', @pool, @x, @hash, now())";

        await using (var first = new NpgsqlCommand(insert, connection))
        {
            first.Parameters.AddWithValue("id", Guid.NewGuid());
            first.Parameters.AddWithValue("pool", Pool);
            first.Parameters.AddWithValue("x", X1);
            first.Parameters.AddWithValue("hash", partyHash);
            await first.ExecuteNonQueryAsync();
        }

        await using var second = new NpgsqlCommand(insert, connection);
        second.Parameters.AddWithValue("id", Guid.NewGuid());
        second.Parameters.AddWithValue("pool", Pool);
        second.Parameters.AddWithValue("x", X1);
        second.Parameters.AddWithValue("hash", partyHash);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => second.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        Assert.Equal("ux_number_reservations_x_party", refused.ConstraintName);
    }

    /// <summary>Starts a simulator with <paramref name="numbers"/> in <see cref="Pool"/> and the service in local mode on it.</summary>
    private async Task<HttpClient> StartAsync(
        (string SecretNo, string City, bool Locked)[] numbers, (string Key, string Value)? setting1 = null, (string Key, string Value)? setting2 = null, bool register = false)
    {
        var simulatorSettings = new List<string> { $"Simulator:Pools:0:PoolKey={Pool}", "Simulator:Pools:0:Product=AXB" };
        for (var i = 0; i < numbers.Length; i++)
        {
            simulatorSettings.Add($"Simulator:Pools:0:Numbers:{i}:SecretNo={numbers[i].SecretNo}");
            simulatorSettings.Add($"Simulator:Pools:0:Numbers:{i}:City={numbers[i].City}");
            simulatorSettings.Add($"Simulator:Pools:0:Numbers:{i}:Locked={numbers[i].Locked}");
        }

        var simulator = await SimulatorHost.StartAsync([.. simulatorSettings]);
        _hosts.Add(simulator);
        _simulator = simulator;

        var section = $"Protection:NumberSelection:Pools:{Pool}";
        var overrides = new Dictionary<string, string?>
        {
            ["Aliyun:Endpoint"] = simulator.BaseAddress.ToString(),
            ["Aliyun:Dytnsapi:Endpoint"] = simulator.BaseAddress.ToString(),
            ["Aliyun:PoolKey"] = Pool,
            ["Protection:RidePoolKey"] = Pool,
            ["Protection:Pools:Axb"] = Pool,
            ["Protection:NumberSelection:SyncOnStart"] = "false",
            [$"{section}:Mode"] = "local",
        };
        if (!register)
        {
            for (var i = 0; i < numbers.Length; i++)
            {
                overrides[$"{section}:Numbers:{i}"] = numbers[i].SecretNo;
            }
        }

        foreach (var setting in new[] { setting1, setting2 }.OfType<(string Key, string Value)>())
        {
            overrides[$"{section}:{setting.Key}"] = setting.Value;
        }

        var factory = new BindingServiceFactory(fixture, overrides);
        _hosts.Add(factory);
        var client = factory.CreateClient();

        if (register)
        {
            var registered = await client.PostAsJsonAsync($"/v1/admin/pools/{Pool}/numbers", new { numbers = numbers.Select(n => n.SecretNo).ToArray() });
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
            var body = await registered.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(numbers.Length, body.GetProperty("numbers").GetArrayLength());
        }
        else
        {
            var synced = await client.PostAsync($"/v1/admin/pools/{Pool}/sync", null);
            Assert.Equal(HttpStatusCode.OK, synced.StatusCode);
            var report = await synced.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(numbers.Length, report.GetProperty("numbers").GetInt32());
            Assert.Equal(numbers.Count(n => !n.Locked), report.GetProperty("available").GetInt32());
        }

        var cities = await fixture.ScalarAsync<string>($"SELECT string_agg(secret_no || ':' || city, ',' ORDER BY secret_no) FROM pool_numbers WHERE pool_key = '{Pool}'");
        Assert.Equal(string.Join(',', numbers.OrderBy(n => n.SecretNo, StringComparer.Ordinal).Select(n => $"{n.SecretNo}:{n.City}")), cities);
        return client;
    }

    private Task<IReadOnlyList<JsonElement>> SimulatorBindingsAsync() => _simulator!.BindingsAsync();

    /// <summary>Protects a ride; asserts 201 and that the simulator bound exactly the X we chose. Returns X.</summary>
    private async Task<string> ProtectAsync(HttpClient client, string orderId, string passenger, string driver, string city)
    {
        var response = await client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = passenger, driverPhone = driver, city });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"protect answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        _orders.Add(orderId);
        var x = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("virtualNumber").GetString()!;
        Assert.Contains(await SimulatorBindingsAsync(), b => b.GetProperty("outOrderId").GetString() == orderId && b.GetProperty("secretNo").GetString() == x);
        return x;
    }

    private static async Task AssertExhaustedAsync(HttpResponseMessage response, string city)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pool.exhausted", problem.GetProperty("code").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(Pool, detail, StringComparison.Ordinal);
        Assert.Contains(city, detail, StringComparison.Ordinal);
    }
}
