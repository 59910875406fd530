using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Infrastructure.Jobs.Retention;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests;

/// <summary>
/// Retention (docs/operations.md, "Retention"): the numbers of bindings that ended longer ago than the retention are
/// erased — both ciphertexts and both hashes — while the rows stay; open bindings (Active, Pending) and recently ended
/// ones keep their numbers; a second run erases nothing more.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class RetentionTests(ServiceFixture fixture) : IAsyncLifetime
{
    private readonly KeyringHosts _hosts = new(fixture);

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [Fact]
    public async Task NumbersOfBindingsEndedBeforeTheRetention_AreErased_OpenAndRecentOnesKeepTheirs_RowsStay()
    {
        var (host, client, clock) = _hosts.Start(KeyringHosts.Key1Only());
        var longTtl = clock.GetUtcNow() + TimeSpan.FromDays(7);
        var oldOrder = $"ride-{Guid.NewGuid():N}";
        var old = await KeyringHosts.ProtectRideAsync(client, oldOrder, TestPhones.Next(), TestPhones.Next(), longTtl);
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/v1/ride-orders/{oldOrder}/protection")).StatusCode);
        var active = await KeyringHosts.ProtectRideAsync(client, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next(), longTtl);
        var pending = await KeyringHosts.ProtectRideAsync(client, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next(), longTtl);
        // A Pending binding needs a lost provider answer to arise; its row is what matters here: open, no ended_at.
        await fixture.ScalarAsync<int>($"UPDATE bindings SET status = 'Pending' WHERE id = '{pending}'");

        // Five minutes later (within the provider's timestamp tolerance) a recent binding ends.
        clock.Advance(TimeSpan.FromMinutes(5));
        var recentOrder = $"ride-{Guid.NewGuid():N}";
        var recent = await KeyringHosts.ProtectRideAsync(client, recentOrder, TestPhones.Next(), TestPhones.Next(), clock.GetUtcNow() + TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/v1/ride-orders/{recentOrder}/protection")).StatusCode);

        // 30 days after the midpoint between the two ends, the retention job runs with the default 30 days: the
        // cut-off falls 2.5 minutes after the old binding ended and 2.5 minutes before the recent one did.
        clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromMinutes(2.5));
        var job = host.Services.GetRequiredService<RetentionJob>();
        var settings = new RetentionOptions { BatchSize = 1 };
        Assert.Equal(TimeSpan.FromDays(30), settings.NumberRetention);

        Assert.Equal(1, await job.RunAsync(settings, CancellationToken.None));

        Assert.Equal(1L, await CountAsync(
            $"bindings WHERE id = '{old}' AND status = 'Released' AND octet_length(party_a_cipher) = 0 AND octet_length(party_b_cipher) = 0 " +
            "AND party_a_hash IS NULL AND party_b_hash IS NULL AND numbers_erased_at IS NOT NULL"));
        foreach (var kept in new[] { active, pending, recent })
        {
            Assert.Equal(1L, await CountAsync(
                $"bindings WHERE id = '{kept}' AND octet_length(party_a_cipher) > 0 AND octet_length(party_b_cipher) > 0 " +
                "AND party_a_hash IS NOT NULL AND party_b_hash IS NOT NULL AND numbers_erased_at IS NULL"));
        }

        Assert.Equal(4L, await CountAsync("bindings")); // every row stays for audit
        Assert.Equal(0, await job.RunAsync(settings, CancellationToken.None));

        // The erased binding still reads: its state, without numbers.
        var read = await client.GetAsync($"/v1/ride-orders/{oldOrder}/protection");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var ride = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("released", ride.GetProperty("status").GetString());
        Assert.Equal(string.Empty, ride.GetProperty("passengerPhone").GetString());
        Assert.Equal(string.Empty, ride.GetProperty("driverPhone").GetString());
    }

    private Task<long> CountAsync(string from) => fixture.ScalarAsync<long>($"SELECT count(*) FROM {from}");
}
