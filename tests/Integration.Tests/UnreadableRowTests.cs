using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Infrastructure.Jobs.Reconciliation;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests;

/// <summary>
/// A binding whose numbers no configured key decrypts (written under a key since removed): the expiry sweeper passes
/// it by, marks it and expires the other due bindings — with one binding per batch, so a stuck row would stall it — and
/// a GET of it answers 409 <c>binding.unreadable</c>, never a 500 (docs/api.md, docs/operations.md "Rotating keys").
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class UnreadableRowTests(ServiceFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan ShortTtl = TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(15);
    private readonly KeyringHosts _hosts = new(fixture);

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [Fact]
    public async Task ARowUnderARemovedKey_IsSkippedByTheSweeper_WhileTheOthersExpire_AndAGetAnswers409()
    {
        // The unreadable one is written first and expires first: the sweeper meets it before the others.
        var (_, old, oldClock) = _hosts.Start(KeyringHosts.Key1Only());
        var lostOrder = $"ride-{Guid.NewGuid():N}";
        var lost = await KeyringHosts.ProtectRideAsync(old, lostOrder, TestPhones.Next(), TestPhones.Next(), oldClock.GetUtcNow() + ShortTtl);
        var (_, rotating, rotatingClock) = _hosts.Start(KeyringHosts.Rotating());
        var readable = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            readable.Add(await KeyringHosts.ProtectRideAsync(rotating, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next(), rotatingClock.GetUtcNow() + ShortTtl + TimeSpan.FromSeconds(1)));
        }

        // Key 1 removed without re-encrypting; a sweeping instance, one binding per batch, its clock past every expiry.
        var (_, after, clock) = _hosts.Start(
            KeyringHosts.Key2Only(),
            new()
            {
                ["Jobs:ExpirySweeper:Enabled"] = "true",
                ["Jobs:ExpirySweeper:BatchSize"] = "1",
                ["Jobs:ExpirySweeper:Interval"] = "00:00:00.200",
            });
        clock.Advance(TimeSpan.FromMinutes(3));
        await WaitUntilAsync(async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings WHERE status = 'Expired'") == readable.Count);

        Assert.Equal("Active", await fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE id = '{lost}'"));
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE id = '{lost}' AND numbers_unreadable_at IS NOT NULL"));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings WHERE numbers_unreadable_at IS NOT NULL AND status = 'Expired'"));
        var expiredEvents = await fixture.Events.AllOnceQuietAsync(e => e.MessageType == "BindingExpired" && readable.Contains(e.Get("bindingId")!), readable.Count);
        Assert.Equal(readable.Order(), expiredEvents.Select(e => e.Get("bindingId")!).Order());

        // Reading it answers a clear problem, not a 500; by id too.
        foreach (var url in new[] { $"/v1/ride-orders/{lostOrder}/protection", $"/v1/bindings/{lost}" })
        {
            var response = await after.GetAsync(url);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("binding.unreadable", problem.GetProperty("code").GetString());
            Assert.Contains("cannot be decrypted", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // The key restored (key 1 back beside key 2): it reads again.
        var (_, restored, _) = _hosts.Start(KeyringHosts.Rotating());
        Assert.Equal(HttpStatusCode.OK, (await restored.GetAsync($"/v1/ride-orders/{lostOrder}/protection")).StatusCode);
    }

    [Fact]
    public async Task APendingRowUnderARemovedKey_IsPassedByTheReconciler_WhichSettlesTheOthers()
    {
        var (_, old, oldClock) = _hosts.Start(KeyringHosts.Key1Only());
        var lost = await KeyringHosts.ProtectRideAsync(old, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next(), oldClock.GetUtcNow() + TimeSpan.FromHours(1));
        var (_, rotating, rotatingClock) = _hosts.Start(KeyringHosts.Rotating());
        var readable = await KeyringHosts.ProtectRideAsync(rotating, $"ride-{Guid.NewGuid():N}", TestPhones.Next(), TestPhones.Next(), rotatingClock.GetUtcNow() + TimeSpan.FromHours(1));

        // Both as binds whose answer was lost long ago: Pending rows, the provider's bindings in effect.
        await fixture.ScalarAsync<long>(
            $"UPDATE bindings SET status = 'Pending', subs_id = NULL, created_at = created_at - interval '10 minutes' WHERE id IN ('{lost}', '{readable}') RETURNING 1");
        var (instance, _, _) = _hosts.Start(KeyringHosts.Key2Only(), new() { ["Jobs:Reconciler:PendingAfter"] = "00:00:00" });

        var summary = await instance.Services.GetRequiredService<Reconciler>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, summary.Adopted);
        Assert.Equal("Active", await fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE id = '{readable}'"));
        Assert.Equal("Pending", await fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE id = '{lost}'"));
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE id = '{lost}' AND numbers_unreadable_at IS NOT NULL"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(100); // pacing: polls the condition
        }
    }
}
