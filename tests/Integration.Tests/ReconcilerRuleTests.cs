using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Api.Infrastructure;
using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Jobs.Reconciliation;
using BindingService.Integration.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BindingService.Integration.Tests;

/// <summary>
/// The reconciler's rules that keep data safe (docs/operations.md, "Reconciler"; PoolAudit and DriftCheck), each
/// proved against the real database, broker and simulator, with the provider failing where the rule matters:
/// <list type="bullet">
/// <item>an incomplete pool walk never fails a Pending binding (a binding the walk could not see may exist);</item>
/// <item>a provider binding whose binding of ours has ended is unbound ("stale"), once it ended OrphanAfter ago;</item>
/// <item>PendingAfter and OrphanAfter, at their real-looking defaults, leave young bindings alone and settle old ones;</item>
/// <item>a drift query that fails is not taken for "the provider no longer has it".</item>
/// </list>
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class ReconcilerRuleTests(ServiceFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);
    private readonly List<IAsyncDisposable> _hosts = [];

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync()
    {
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            await _hosts[i].DisposeAsync();
        }
    }

    // ---------- an incomplete walk fails nothing

    [Theory]
    [InlineData("QuerySubsId")]
    [InlineData("QuerySubscriptionDetail")]
    public async Task AnIncompletePoolWalk_DoesNotFailAPendingBinding_ACompleteOneDoes(string failingAction)
    {
        var instance = Start();
        var client = instance.CreateClient();
        var orderId = await PendingAsync(client, fixture.Simulator.Control, applied: false);
        Assert.Empty(await fixture.Simulator.BindingsAsync()); // the provider never bound it: a complete walk must fail it

        // A provider binding we do not know on one X: the walk has to read its detail to tell whose it is.
        var provider = instance.Services.GetRequiredService<IPrivacyNumberProvider>();
        var unknown = await provider.BindAsync(
            new BindRequest(BindingProduct.Axb, SimulatorHost.PoolKey, PhoneNumber.Parse(TestPhones.Next()), PhoneNumber.Parse(TestPhones.Next()), DateTimeOffset.UtcNow + Ttl, OutId: "not-ours", PhoneNoX: "17000000007"),
            CancellationToken.None);
        Assert.Null(unknown.Error);

        // QuerySubsId fails for about half the numbers (seeded: the same numbers every run), so the walk breaks off
        // midway; or every number is listed but the unknown binding's detail cannot be read.
        var rate = failingAction == "QuerySubsId" ? 0.5 : 1.0;
        await SimulatorFaults.SetAsync(fixture.Simulator, new { seed = 7, actions = new[] { failingAction }, errorRates = new Dictionary<string, double> { ["isp.SYSTEM_ERROR"] = rate } });

        var incomplete = await Reconciler(instance).RunOnceAsync(CancellationToken.None);
        var injected = (await SimulatorFaults.CountersAsync(fixture.Simulator, failingAction)).Values.Sum();
        output.WriteLine($"incomplete walk: {incomplete}; {failingAction} errors injected: {injected}");

        Assert.True(injected >= 1, "no provider error was injected: the walk was complete");
        Assert.True(incomplete.ProviderErrors >= 1);
        if (failingAction == "QuerySubsId")
        {
            Assert.True(injected < incomplete.NumbersScanned, "every number failed: the walk should have failed midway, after some numbers were listed");
        }

        Assert.Equal(0, incomplete.Failed);
        Assert.Equal("Pending", await StatusOfAsync(orderId));
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE message_type = 'BindingFailed'"));
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM reconciler_pool_scans WHERE pool_key = '{SimulatorHost.PoolKey}'")); // not recorded as walked

        // The same binding, once every number can be asked: Failed. Only the incomplete walk held it back.
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        var complete = await Reconciler(instance).RunOnceAsync(CancellationToken.None);
        output.WriteLine($"complete walk: {complete}");

        Assert.Equal(0, complete.ProviderErrors);
        Assert.Equal(1, complete.Failed);
        Assert.Equal("Failed", await StatusOfAsync(orderId));
    }

    // ---------- stale: ours ended, the provider's still in effect

    [Fact]
    public async Task AProviderBindingWhoseBindingOfOursHasEnded_IsUnboundAsStale_OnceItEndedOrphanAfterAgo()
    {
        // Our clock runs ahead of the provider's: ours expires while the provider (on real time) still has the binding
        // in effect — an expiry the provider has not applied yet, as after an unbind that failed.
        var clock = new OffsetTimeProvider();
        var instance = Start(clock, settings: [("Jobs:Reconciler:OrphanAfter", "00:01:00"), ("Jobs:Reconciler:OrphanScanInterval", "00:01:00")]);
        var client = instance.CreateClient();
        var orderId = $"ride-{Guid.NewGuid():N}";
        var url = $"/v1/ride-orders/{orderId}/protection";
        var created = await client.PutAsJsonAsync(url, new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next(), expiresAt = clock.GetUtcNow() + TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(15) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var subsId = (await fixture.ScalarAsync<string>($"SELECT subs_id FROM bindings WHERE order_id = '{orderId}'"))!;

        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal("expired", (await client.GetFromJsonAsync<JsonElement>(url)).GetProperty("status").GetString()); // the first to meet it expires it
        Assert.Contains(subsId, await InEffectAtProviderAsync()); // the provider's real time has not reached the expiry

        // Ended less than OrphanAfter ago: not yet (its end may still be on its way to the provider).
        var early = await Reconciler(instance).RunOnceAsync(CancellationToken.None);
        output.WriteLine($"just ended: {early}");
        Assert.True(early.NumbersScanned > 0, "the pool was not walked");
        Assert.Equal(0, early.StaleUnbound);
        Assert.Contains(subsId, await InEffectAtProviderAsync());

        clock.Advance(TimeSpan.FromMinutes(2));
        var later = await Reconciler(instance).RunOnceAsync(CancellationToken.None);
        output.WriteLine($"ended 2 min ago: {later}");

        Assert.Equal(1, later.StaleUnbound);
        Assert.Equal(0, later.OrphansUnbound);
        Assert.DoesNotContain(await fixture.Simulator.BindingsAsync(), b => b.GetProperty("subsId").GetString() == subsId); // unbound bindings are removed
        Assert.Equal("Expired", await StatusOfAsync(orderId)); // ours is left as it was
    }

    // ---------- PendingAfter and OrphanAfter leave young bindings alone

    [Fact]
    public async Task YoungBindings_AreLeftAlone_ByThePendingAfterAndOrphanAfterGates_WhileOldOnesAreSettled()
    {
        // Both sides on one clock that the test moves 6 minutes on: the provider's GmtCreate ages with our created_at.
        var clock = new OffsetTimeProvider();
        var simulator = await ClockedSimulator.StartAsync(clock);
        _hosts.Add(simulator);
        var instance = Start(clock, simulator, settings:
        [
            ("Jobs:Reconciler:PendingAfter", "00:01:00"), // the defaults (docs/operations.md, "Reconciler")
            ("Jobs:Reconciler:OrphanAfter", "00:05:00"),
        ]);
        var client = instance.CreateClient();
        var provider = instance.Services.GetRequiredService<IPrivacyNumberProvider>();

        var oldNeverBound = await PendingAsync(client, simulator.Control, applied: false, clock);
        var oldBound = await PendingAsync(client, simulator.Control, applied: true, clock);
        var oldOrphan = await OrphanAsync(client);

        clock.Advance(TimeSpan.FromMinutes(6)); // past both gates for everything above

        var youngNeverBound = await PendingAsync(client, simulator.Control, applied: false, clock);
        var youngBound = await PendingAsync(client, simulator.Control, applied: true, clock);
        var youngOrphan = await OrphanAsync(client);
        var youngBoundId = (await fixture.ScalarAsync<string>($"SELECT id::text FROM bindings WHERE order_id = '{youngBound}'"))!;

        var summary = await Reconciler(instance).RunOnceAsync(CancellationToken.None);
        output.WriteLine(summary.ToString());

        Assert.Equal((1, 1, 1), (summary.Adopted, summary.Failed, summary.OrphansUnbound));
        Assert.Equal("Failed", await StatusOfAsync(oldNeverBound));
        Assert.Equal("Active", await StatusOfAsync(oldBound));
        Assert.Equal("Pending", await StatusOfAsync(youngNeverBound)); // its request may still be binding it
        Assert.Equal("Pending", await StatusOfAsync(youngBound)); // found at the provider, but not adopted yet...
        var inEffect = await simulator.InEffectAsync();
        Assert.Contains((await simulator.BindingsAsync()).Single(b => Guid.TryParse(b.GetProperty("outId").GetString(), out var outId) && outId == Guid.Parse(youngBoundId)).GetProperty("subsId").GetString()!, inEffect); // ...nor unbound as an orphan
        Assert.DoesNotContain(oldOrphan, inEffect);
        Assert.Contains(youngOrphan, inEffect);
    }

    // ---------- a failed drift query is not "gone"

    [Theory]
    [InlineData("isp.SYSTEM_ERROR")]
    [InlineData("InternalError")]
    [InlineData("Throttling.User")]
    [InlineData("isv.INVALID_PARAMETERS")]
    public async Task ADriftQueryThatFails_IsNotTakenForGone_TheBindingStaysActive(string code)
    {
        var instance = Start();
        var (orderId, bindingId, subsId) = await ActiveAsync(instance.CreateClient());
        await SimulatorFaults.SetAsync(fixture.Simulator, new { actions = new[] { "QuerySubscriptionDetail" }, errorRates = new Dictionary<string, double> { [code] = 1.0 } });

        var summary = await Reconciler(instance).RunOnceAsync(CancellationToken.None);
        var injected = (await SimulatorFaults.CountersAsync(fixture.Simulator, "QuerySubscriptionDetail")).Values.Sum();
        output.WriteLine($"{code}: {summary}; injected {injected}");

        Assert.Equal(1, summary.DriftChecked);
        Assert.True(injected >= 1, "the drift check never asked the provider");
        Assert.Equal("Active", await StatusOfAsync(orderId));
        Assert.Equal(0, summary.EndedAtProvider);
        Assert.True(summary.ProviderErrors >= 1);
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE aggregate_id = '{bindingId}' AND message_type = 'BindingReleased'"));
        Assert.Contains(subsId, await InEffectAtProviderAsync());
    }

    [Fact]
    public async Task ADriftQueryAnsweringNoSuchBinding_IsGone_TheBindingIsReleasedEndedAtProvider()
    {
        // The contrast to the test above, through the same injection: only the provider saying "no such binding" ends ours.
        var instance = Start();
        var (orderId, bindingId, _) = await ActiveAsync(instance.CreateClient());
        await SimulatorFaults.SetAsync(fixture.Simulator, new { actions = new[] { "QuerySubscriptionDetail" }, errorRates = new Dictionary<string, double> { ["isv.SUBS_NOT_EXIST"] = 1.0 } });

        var summary = await Reconciler(instance).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, summary.EndedAtProvider);
        Assert.Equal("Released", await StatusOfAsync(orderId));
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE aggregate_id = '{bindingId}' AND message_type = 'BindingReleased'"));
    }

    /// <summary>
    /// A service instance with its reconciler driven by the test, PendingAfter/OrphanAfter/DriftSettle at 0 unless
    /// <paramref name="settings"/> say otherwise, no provider retries (one fault, one error) and a circuit that the
    /// injected errors cannot open; on <paramref name="clock"/> and <paramref name="simulator"/> when given.
    /// </summary>
    private WebApplicationFactory<CallerContext> Start(OffsetTimeProvider? clock = null, ClockedSimulator? simulator = null, (string Key, string Value)[]? settings = null)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Jobs:Reconciler:Enabled"] = "false",
            ["Jobs:Reconciler:PendingAfter"] = "00:00:00",
            ["Jobs:Reconciler:OrphanAfter"] = "00:00:00",
            ["Jobs:Reconciler:DriftSettle"] = "00:00:00",
            ["Jobs:Reconciler:ProviderCallsPerSecond"] = "1000",
            ["Jobs:ExpirySweeper:Enabled"] = "false",
            ["Aliyun:Actions:BindAxb:Timeout"] = "00:00:01",
            ["Aliyun:Resilience:MaxRetryAttempts"] = "0",
            ["Aliyun:Resilience:CircuitMinimumThroughput"] = "1000",
            [$"Protection:NumberSelection:Pools:{SimulatorHost.PoolKey}:Ranges:0:Start"] = "17000000001",
            [$"Protection:NumberSelection:Pools:{SimulatorHost.PoolKey}:Ranges:0:Count"] = "20",
        };
        if (simulator is not null)
        {
            overrides["Aliyun:Endpoint"] = simulator.BaseAddress.ToString();
            overrides["Aliyun:Dytnsapi:Endpoint"] = simulator.BaseAddress.ToString();
        }

        foreach (var (key, value) in settings ?? [])
        {
            overrides[key] = value;
        }

        var factory = new BindingServiceFactory(fixture, overrides);
        _hosts.Add(factory);
        if (clock is null)
        {
            return factory;
        }

        var clocked = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        _hosts.Add(clocked);
        return clocked;
    }

    private static Reconciler Reconciler(WebApplicationFactory<CallerContext> instance) => instance.Services.GetRequiredService<Reconciler>();

    /// <summary>
    /// A ride protect whose bind times out at the client, leaving a Pending binding: never applied at the provider
    /// (<paramref name="applied"/> false) or applied with its answer withheld (docs/simulator.md, Timeout:Mode).
    /// </summary>
    private async Task<string> PendingAsync(HttpClient client, HttpClient simulatorControl, bool applied, TimeProvider? clock = null)
    {
        var faults = new { faults = new { actions = new[] { "BindAxb" }, timeout = new { rate = 1.0, mode = applied ? "after" : "before", hangMs = 1500 } } };
        (await simulatorControl.PutAsJsonAsync("_sim/faults", faults)).EnsureSuccessStatusCode();
        var orderId = $"ride-{Guid.NewGuid():N}";
        var response = await client.PutAsJsonAsync(
            $"/v1/ride-orders/{orderId}/protection",
            new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next(), expiresAt = (clock ?? TimeProvider.System).GetUtcNow() + Ttl });
        (await simulatorControl.DeleteAsync("_sim/faults")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("provider.outcome_unknown", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("Pending", await StatusOfAsync(orderId));
        return orderId;
    }

    /// <summary>
    /// A provider binding no binding of ours owns although it is ours (a binding of ours has its parties: the row of a
    /// bind whose SubsId we lost, its numbers kept); returns its SubsId.
    /// </summary>
    private async Task<string> OrphanAsync(HttpClient client)
    {
        var (orderId, _, subsId) = await ActiveAsync(client);
        await fixture.ScalarAsync<long>($"UPDATE bindings SET status = 'Failed', subs_id = NULL, secret_no = NULL WHERE order_id = '{orderId}' RETURNING 1");
        return subsId;
    }

    private async Task<(string OrderId, string BindingId, string SubsId)> ActiveAsync(HttpClient client)
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        var response = await client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next(), expiresAt = DateTimeOffset.UtcNow + Ttl });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var bindingId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString()!;
        return (orderId, bindingId, (await fixture.ScalarAsync<string>($"SELECT subs_id FROM bindings WHERE order_id = '{orderId}'"))!);
    }

    private async Task<IReadOnlySet<string>> InEffectAtProviderAsync() =>
        (await fixture.Simulator.BindingsAsync()).Where(b => b.GetProperty("status").GetInt32() == 1).Select(b => b.GetProperty("subsId").GetString()!).ToHashSet();

    private Task<string?> StatusOfAsync(string orderId) =>
        fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE order_id = '{orderId}' ORDER BY created_at DESC LIMIT 1");
}
