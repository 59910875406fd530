using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Infrastructure.Jobs;
using BindingService.Infrastructure.Jobs.KeyRotation;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests;

/// <summary>
/// Rotating the phone keys (docs/operations.md, "Rotating keys"): numbers written under key 1 and hash version 1 read
/// after key 2 becomes active, new writes use key 2, the re-encryption job moves every row (bindings, G-group members)
/// to key 2 and hash version 2 and reports none left, and after key 1 and hash version 1 are removed everything still
/// reads and the lookup by tracking number still finds its delivery.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class KeyRotationTests(ServiceFixture fixture) : IAsyncLifetime
{
    private readonly KeyringHosts _hosts = new(fixture);

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [Fact]
    public async Task NumbersWrittenUnderKey1_ReadAfterRotation_AreReencrypted_AndStillReadOnceKey1IsRemoved()
    {
        // Before: one key, one hash version.
        var (_, before, _) = _hosts.Start(KeyringHosts.Key1Only());
        var (passenger, driver, customer, courier) = (TestPhones.Next(), TestPhones.Next(), TestPhones.Next(), TestPhones.Next());
        var rideOrder = $"ride-{Guid.NewGuid():N}";
        await KeyringHosts.ProtectRideAsync(before, rideOrder, passenger, driver);
        var deliveryOrder = $"dlv-{Guid.NewGuid():N}";
        var trackingNumber = $"YT{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}";
        Assert.Equal(HttpStatusCode.Created, (await before.PutAsJsonAsync($"/v1/delivery-orders/{deliveryOrder}/protection", new { customerPhone = customer, courierPhone = courier })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await before.PutAsJsonAsync($"/v1/delivery-orders/{deliveryOrder}/protection/tracking-number", new { trackingNumber })).StatusCode);
        var group = await before.PostAsJsonAsync("/v1/groups", new { members = new[] { TestPhones.Next(), TestPhones.Next() } });
        Assert.True(group.IsSuccessStatusCode, $"group answered {(int)group.StatusCode}: {await group.Content.ReadAsStringAsync()}");
        var groupId = (await group.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupId").ToString();
        var key1 = KeyringHosts.KeyIdHex(ServiceFixture.EncryptionKey);
        var key2 = KeyringHosts.KeyIdHex(KeyringHosts.Key2);
        Assert.Equal(2L, await CountAsync($"bindings WHERE substring(party_a_cipher from 2 for 4) = '\\x{key1}'::bytea AND octet_length(party_a_hash) = 32"));
        Assert.Equal(2L, await CountAsync($"axg_group_members WHERE substring(number_cipher from 2 for 4) = '\\x{key1}'::bytea"));

        // Rotate: key 2 and hash version 2 active, 1 still configured. Old rows read; new rows are written under 2.
        var (rotatingHost, rotating, _) = _hosts.Start(KeyringHosts.Rotating());
        await AssertRideAsync(rotating, rideOrder, passenger, driver);
        var newOrder = $"ride-{Guid.NewGuid():N}";
        var (newPassenger, newDriver) = (TestPhones.Next(), TestPhones.Next());
        var newBinding = await KeyringHosts.ProtectRideAsync(rotating, newOrder, newPassenger, newDriver);
        Assert.Equal(1L, await CountAsync($"bindings WHERE id = '{newBinding}' AND substring(party_a_cipher from 2 for 4) = '\\x{key2}'::bytea AND substring(party_b_cipher from 2 for 4) = '\\x{key2}'::bytea AND get_byte(party_a_hash, 0) = 2 AND octet_length(party_a_hash) = 33"));

        // The re-encryption job, one row per batch: every row moves, none is left, and the metric counts them.
        var job = rotatingHost.Services.GetRequiredService<ReencryptionJob>();
        using var rows = new RowCounter(rotatingHost.Services.GetRequiredService<IMeterFactory>());
        var summary = await job.RunAsync(batchSize: 1, CancellationToken.None);
        Assert.Equal(4, summary.Rewritten); // the ride, the delivery, two group members
        Assert.Equal(0, summary.Unreadable);
        Assert.Equal(0L, summary.Remaining);
        Assert.Equal(4L, rows.Reencrypted);
        Assert.Equal(0L, await CountAsync($"bindings WHERE substring(party_a_cipher from 2 for 4) <> '\\x{key2}'::bytea OR substring(party_b_cipher from 2 for 4) <> '\\x{key2}'::bytea"));
        Assert.Equal(0L, await CountAsync("bindings WHERE octet_length(party_a_hash) <> 33 OR get_byte(party_a_hash, 0) <> 2 OR get_byte(party_b_hash, 0) <> 2"));
        Assert.Equal(0L, await CountAsync($"axg_group_members WHERE substring(number_cipher from 2 for 4) <> '\\x{key2}'::bytea OR get_byte(number_hash, 0) <> 2"));
        Assert.Equal(0, (await job.RunAsync(batchSize: 1, CancellationToken.None)).Rewritten); // a second run finds nothing

        // Key 1 and hash version 1 removed: everything still reads, and the lookup by tracking number still answers.
        var (_, after, _) = _hosts.Start(KeyringHosts.Key2Only());
        await AssertRideAsync(after, rideOrder, passenger, driver);
        await AssertRideAsync(after, newOrder, newPassenger, newDriver);
        var found = await after.GetAsync($"/v1/delivery-orders/by-tracking-number/{trackingNumber}");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var delivery = await found.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(deliveryOrder, delivery.GetProperty("orderId").GetString());
        Assert.Equal(Mask(customer), delivery.GetProperty("customerPhone").GetString());
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync($"/v1/groups/{groupId}")).StatusCode);

        // A change still works under key 2 only (the driver is re-encrypted and re-hashed on save).
        var driver2 = TestPhones.Next();
        Assert.Equal(HttpStatusCode.OK, (await after.PutAsJsonAsync($"/v1/ride-orders/{rideOrder}/protection/driver", new { driverPhone = driver2 })).StatusCode);
        await AssertRideAsync(after, rideOrder, passenger, driver2);
    }

    [Fact]
    public async Task ALookupByNumber_FindsAPartyReservedUnderTheOldHashVersion_BeforeAndAfterTheJobReHashesIt()
    {
        // Local number selection looks parties up by hash (invariant 1: a party at most once on an X). One X only.
        const string pool = "FC900000000000019";
        const string x = "17090000019";
        await using var simulator = await SimulatorHost.StartAsync(
            $"Simulator:Pools:0:PoolKey={pool}", "Simulator:Pools:0:Product=AXB", $"Simulator:Pools:0:Numbers:0:SecretNo={x}", "Simulator:Pools:0:Numbers:0:City=杭州");
        var local = new Dictionary<string, string?>
        {
            ["Aliyun:Endpoint"] = simulator.BaseAddress.ToString(),
            ["Aliyun:Dytnsapi:Endpoint"] = simulator.BaseAddress.ToString(),
            ["Aliyun:PoolKey"] = pool,
            ["Protection:RidePoolKey"] = pool,
            ["Protection:Pools:Axb"] = pool,
            ["Protection:NumberSelection:SyncOnStart"] = "false",
            [$"Protection:NumberSelection:Pools:{pool}:Mode"] = "local",
            [$"Protection:NumberSelection:Pools:{pool}:Numbers:0"] = x,
        };
        var (_, before, _) = _hosts.Start(KeyringHosts.Key1Only(), local);
        Assert.Equal(HttpStatusCode.OK, (await before.PostAsync($"/v1/admin/pools/{pool}/sync", null)).StatusCode);
        var passenger = TestPhones.Next();
        await KeyringHosts.ProtectRideAsync(before, $"ride-{Guid.NewGuid():N}", passenger, TestPhones.Next());
        Assert.Equal(2L, await CountAsync($"number_reservations WHERE secret_no = '{x}' AND octet_length(party_hash) = 32"));

        // Hash version 2 active: the passenger's reservation (version 1) still keeps them off X.
        var (rotatingHost, rotating, _) = _hosts.Start(KeyringHosts.Rotating(), local);
        await AssertExhaustedAsync(rotating, passenger);

        // The job re-hashes the reservations; with version 1 removed the lookup still finds the passenger, and X still
        // takes other parties.
        var summary = await rotatingHost.Services.GetRequiredService<ReencryptionJob>().RunAsync(batchSize: 10, CancellationToken.None);
        Assert.Equal(3, summary.Rewritten); // the binding and its two reservations
        Assert.Equal(0L, summary.Remaining);
        Assert.Equal(2L, await CountAsync($"number_reservations WHERE secret_no = '{x}' AND octet_length(party_hash) = 33 AND get_byte(party_hash, 0) = 2"));
        var (_, after, _) = _hosts.Start(KeyringHosts.Key2Only(), local);
        await AssertExhaustedAsync(after, passenger);
        await KeyringHosts.ProtectRideAsync(after, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next());
    }

    private static async Task AssertExhaustedAsync(HttpClient client, string passenger)
    {
        var refused = await client.PutAsJsonAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection", new { passengerPhone = passenger, driverPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("pool.exhausted", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public void OutsideDevelopment_TheServiceRefusesToStart_WithADevelopmentKey_NamingTheSetting()
    {
        // The fixture's hosts run in the "Testing" environment: not Development.
        var refused = Assert.ThrowsAny<Exception>(() => _hosts.Start(new() { ["Security:PhoneHashKeys:2"] = "ZGV2ZWxvcG1lbnQtb25seS1waG9uZS1oYXNoLWtleSEhIQ==", ["Security:ActivePhoneHashKeyVersion"] = "2" }));
        var message = string.Join(" | ", Flatten(refused).Select(e => e.Message));
        Assert.Contains("Security:PhoneHashKeys:2 is a development key", message, StringComparison.Ordinal);
        Assert.DoesNotContain("ZGV2ZWxvcG1lbnQ", message, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }

    private static async Task AssertRideAsync(HttpClient client, string orderId, string passenger, string driver)
    {
        var response = await client.GetAsync($"/v1/ride-orders/{orderId}/protection");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var ride = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Mask(passenger), ride.GetProperty("passengerPhone").GetString());
        Assert.Equal(Mask(driver), ride.GetProperty("driverPhone").GetString());
    }

    private static string Mask(string number) => $"{number[..3]}****{number[^4..]}";

    private Task<long> CountAsync(string from) => fixture.ScalarAsync<long>($"SELECT count(*) FROM {from}");

    /// <summary>The <c>reencrypted</c> rows counted by ONE instance's re-encryption metric.</summary>
    private sealed class RowCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _reencrypted;

        public RowCounter(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ExpirySweeperMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == ReencryptionMetrics.RowsName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "outcome", Value: "reencrypted" })
                    {
                        Interlocked.Add(ref _reencrypted, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Reencrypted => Interlocked.Read(ref _reencrypted);

        public void Dispose() => _listener.Dispose();
    }
}
