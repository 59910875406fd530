using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Infrastructure.Jobs.KeyRotation;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests.Operators;

/// <summary>
/// The re-encryption job covers the numbers of issue 14's tables (docs/operations.md, "Rotating keys"): blacklist entries
/// (ciphertexts and lookup hashes) and pickup waybills (ciphertexts). During the rotation an entry hashed under the old
/// version is still found (a repeat adds nothing); after the job and with key 1 removed, everything still reads.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class ReencryptionCoverageTests(ServiceFixture fixture) : IAsyncLifetime
{
    private const string Pool = SimulatorHost.PoolKey;

    private readonly KeyringHosts _hosts = new(fixture);

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [Fact]
    public async Task BlacklistEntriesAndWaybills_WrittenUnderKey1_AreFoundDuringTheRotation_Reencrypted_AndReadUnderKey2Only()
    {
        var (_, before, _) = _hosts.Start(KeyringHosts.Key1Only());
        var pair = new { poolKey = Pool, first = TestPhones.Next(), second = TestPhones.Next(), reason = "rotation test" };
        var number = new { poolKey = SimulatorHost.AxnPoolKey, number = TestPhones.Next() };
        Assert.Equal(HttpStatusCode.Created, (await before.PostAsJsonAsync("/v1/admin/blacklists/pairs", pair)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await before.PostAsJsonAsync("/v1/admin/blacklists/numbers", number)).StatusCode);
        var orderId = $"dlv-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, (await before.PutAsJsonAsync($"/v1/delivery-orders/{orderId}/protection", new { customerPhone = TestPhones.Next(), courierPhone = TestPhones.Next() })).StatusCode);
        var sender = TestPhones.Next();
        var address = new { province = "浙江省", city = "杭州市", area = "余杭区", detail = "文一西路969号" };
        var waybill = await before.PostAsJsonAsync(
            $"/v1/delivery-orders/{orderId}/protection/pickup-waybill",
            new { sender = new { name = "张三", mobile = sender, address }, consignee = new { name = "李四", mobile = TestPhones.Next(), address } });
        Assert.Equal(HttpStatusCode.Created, waybill.StatusCode);
        var key1 = KeyringHosts.KeyIdHex(ServiceFixture.EncryptionKey);
        var key2 = KeyringHosts.KeyIdHex(KeyringHosts.Key2);
        Assert.Equal(2L, await CountAsync($"blacklist_entries WHERE substring(first_encrypted from 2 for 4) = '\\x{key1}'::bytea AND octet_length(first_hash) = 32"));
        Assert.Equal(1L, await CountAsync($"pickup_waybills WHERE substring(sender_phone_cipher from 2 for 4) = '\\x{key1}'::bytea"));

        // Rotating: the entries hashed under version 1 are still found, so a repeat adds nothing at the provider or here.
        var (rotatingHost, rotating, _) = _hosts.Start(KeyringHosts.Rotating());
        Assert.Equal(HttpStatusCode.OK, (await rotating.PostAsJsonAsync("/v1/admin/blacklists/pairs", pair)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rotating.PostAsJsonAsync("/v1/admin/blacklists/numbers", number)).StatusCode);
        Assert.Equal(2L, await CountAsync("blacklist_entries"));

        var job = rotatingHost.Services.GetRequiredService<ReencryptionJob>();
        var summary = await job.RunAsync(batchSize: 1, CancellationToken.None);
        Assert.Equal(4, summary.Rewritten); // the delivery's binding, two blacklist entries, the waybill
        Assert.Equal(0L, summary.Remaining);
        Assert.Equal(0L, await CountAsync(
            $"blacklist_entries WHERE substring(first_encrypted from 2 for 4) <> '\\x{key2}'::bytea OR get_byte(first_hash, 0) <> 2 OR octet_length(first_hash) <> 33 " +
            $"OR (second_encrypted IS NOT NULL AND (substring(second_encrypted from 2 for 4) <> '\\x{key2}'::bytea OR get_byte(second_hash, 0) <> 2))"));
        Assert.Equal(1L, await CountAsync("blacklist_entries WHERE second_encrypted IS NULL AND octet_length(second_hash) = 0")); // the number entry has no second
        Assert.Equal(0L, await CountAsync($"pickup_waybills WHERE substring(sender_phone_cipher from 2 for 4) <> '\\x{key2}'::bytea OR substring(consignee_phone_cipher from 2 for 4) <> '\\x{key2}'::bytea"));
        Assert.Equal(0, (await job.RunAsync(batchSize: 1, CancellationToken.None)).Rewritten);

        // Key 1 and hash version 1 removed: the entries are found and read, the waybill reads.
        var (_, after, _) = _hosts.Start(KeyringHosts.Key2Only());
        var repeat = await after.PostAsJsonAsync("/v1/admin/blacklists/pairs", pair);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(GenericBindingTests.Mask(pair.first), (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("first").GetString());
        var read = await after.GetFromJsonAsync<JsonElement>($"/v1/delivery-orders/{orderId}/protection/pickup-waybill");
        Assert.Equal(GenericBindingTests.Mask(sender), read.GetProperty("senderPhone").GetString());
        Assert.Equal(2L, await CountAsync("blacklist_entries"));
    }

    private Task<long> CountAsync(string from) => fixture.ScalarAsync<long>($"SELECT count(*) FROM {from}");
}
