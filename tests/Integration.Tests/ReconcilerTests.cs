using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Jobs.Reconciliation;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BindingService.Integration.Tests;

/// <summary>
/// The reconciler (issue 5, invariant 3: every provider-side binding we created is known to our database or unbound)
/// through the real service, database, broker and simulator: a bind applied but unanswered is adopted, one never
/// applied is Failed, a provider binding nobody owns is unbound, and drift at the provider is repaired.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class ReconcilerTests(ServiceFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);
    private readonly List<BindingServiceFactory> _instances = [];

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync()
    {
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task BindAppliedButUnanswered_StaysPending_ThenIsAdopted_WithOneBindingCreated()
    {
        var instance = Start();
        var client = instance.CreateClient();
        await SimulatorFaults.SetAsync(fixture.Simulator, new { actions = new[] { "BindAxb" }, timeout = new { rate = 1.0, mode = "after", hangMs = 1500 } });

        var (orderId, response) = await ProtectAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("provider.outcome_unknown", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        Assert.Equal("Pending", await StatusOfAsync(orderId));
        var atProvider = Assert.Single(await fixture.Simulator.BindingsAsync());

        var summary = await Reconciler(instance).RunOnceAsync(CancellationToken.None);
        output.WriteLine($"adopted={summary.Adopted} failed={summary.Failed} orphans={summary.OrphansUnbound} numbers={summary.NumbersScanned}");

        Assert.Equal(1, summary.Adopted);
        Assert.Equal(0, summary.OrphansUnbound);
        Assert.Equal("Active", await StatusOfAsync(orderId));
        Assert.Equal(atProvider.GetProperty("subsId").GetString(), await fixture.ScalarAsync<string>($"SELECT subs_id FROM bindings WHERE order_id = '{orderId}'"));
        var protection = await client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection");
        Assert.Equal(atProvider.GetProperty("secretNo").GetString(), protection.GetProperty("virtualNumber").GetString());

        // A second run finds nothing left to do.
        var again = await Reconciler(instance).RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, again.Adopted + again.Failed + again.OrphansUnbound);

        // One BindingCreated, from the adoption: none for the unanswered bind, none again from the second run.
        Assert.Equal(["BindingCreated"], (await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId)).Select(e => e.MessageType));
    }

    [Fact]
    public async Task BindNeverApplied_StaysPending_ThenIsFailed_AndTheOrderCanBeProtectedAgain()
    {
        var instance = Start();
        var client = instance.CreateClient();
        await SimulatorFaults.SetAsync(fixture.Simulator, new { actions = new[] { "BindAxb" }, timeout = new { rate = 1.0, mode = "before", hangMs = 1500 } });
        var (orderId, response) = await ProtectAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        Assert.Equal("Pending", await StatusOfAsync(orderId));
        Assert.Empty(await fixture.Simulator.BindingsAsync());

        var summary = await Reconciler(instance).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, summary.Failed);
        Assert.Equal("Failed", await StatusOfAsync(orderId));
        var failed = Assert.Single(await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId));
        Assert.Equal("BindingFailed", failed.MessageType);
        Assert.Equal("provider.not_bound", failed.Get("reason"));
        var (_, retried) = await ProtectAsync(client, orderId);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    [Fact]
    public async Task ThrottledBind_IsFailedAtOnce_NotLeftPending()
    {
        var instance = Start(("Aliyun:Resilience:MaxRetryAttempts", "0"));
        var client = instance.CreateClient();
        await SimulatorFaults.SetAsync(fixture.Simulator, new { actions = new[] { "BindAxb" }, errorRates = new Dictionary<string, double> { ["Throttling.User"] = 1.0 } });

        var (orderId, response) = await ProtectAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("provider.throttled", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("Failed", await StatusOfAsync(orderId));
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        var (_, retried) = await ProtectAsync(client, orderId);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    [Fact]
    public async Task ProviderBindingNobodyOwns_IsUnbound_WhenItsPartiesAreOurs_AnotherSystemsIsLeftAlone_AndOursToo()
    {
        var instance = Start();
        var client = instance.CreateClient();
        var (orderId, response) = await ProtectAsync(client);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ours = await response.Content.ReadFromJsonAsync<JsonElement>();
        var x = ours.GetProperty("virtualNumber").GetString()!;

        // A bind we took for a failure (throttled: Failed at once) although the provider has it: no row of ours records
        // its SubsId, but a binding of ours has its parties.
        var passenger = TestPhones.Next();
        var driver = TestPhones.Next();
        await SimulatorFaults.SetAsync(fixture.Simulator, new { actions = new[] { "BindAxb" }, errorRates = new Dictionary<string, double> { ["Throttling.User"] = 1.0 } });
        var refused = await client.PutAsJsonAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection", new { passengerPhone = passenger, driverPhone = driver });
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var provider = instance.Services.GetRequiredService<IPrivacyNumberProvider>();
        var orphan = await provider.BindAsync(
            new BindRequest(BindingProduct.Axb, SimulatorHost.PoolKey, PhoneNumber.Parse(passenger), PhoneNumber.Parse(driver), DateTimeOffset.UtcNow + Ttl, OutId: "lost", PhoneNoX: x),
            CancellationToken.None);
        Assert.Null(orphan.Error);

        // And another system's binding on the same X, in the pool we share with it: parties we never bound.
        var foreign = await provider.BindAsync(
            new BindRequest(BindingProduct.Axb, SimulatorHost.PoolKey, PhoneNumber.Parse(TestPhones.Next()), PhoneNumber.Parse(TestPhones.Next()), DateTimeOffset.UtcNow + Ttl, OutId: "theirs", PhoneNoX: x),
            CancellationToken.None);
        Assert.Null(foreign.Error);
        Assert.Equal(3, (await fixture.Simulator.BindingsAsync()).Count(b => b.GetProperty("status").GetInt32() == 1));

        var summary = await Reconciler(instance).RunOnceAsync(CancellationToken.None);

        Assert.Equal((1, 1), (summary.OrphansUnbound, summary.ForeignLeft));
        var left = (await fixture.Simulator.BindingsAsync()).Where(b => b.GetProperty("status").GetInt32() == 1).Select(b => b.GetProperty("subsId").GetString()).Order().ToList();
        Assert.Equal(new[] { await fixture.ScalarAsync<string>($"SELECT subs_id FROM bindings WHERE order_id = '{orderId}'"), foreign.Value!.SubsId }.Order(), left);
        Assert.Equal("Active", await StatusOfAsync(orderId));
    }

    [Fact]
    public async Task Drift_PartyAndExpiryChangedAtTheProvider_ArePushedBack_AndABindingGoneThere_IsReleased()
    {
        var instance = Start();
        var client = instance.CreateClient();
        var (changedOrder, changedResponse) = await ProtectAsync(client);
        var (goneOrder, goneResponse) = await ProtectAsync(client);
        Assert.Equal(HttpStatusCode.Created, changedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Created, goneResponse.StatusCode);
        var provider = instance.Services.GetRequiredService<IPrivacyNumberProvider>();
        var changed = await SubscriptionOfAsync(changedOrder);
        var gone = await SubscriptionOfAsync(goneOrder);
        var ourExpiry = await fixture.ScalarAsync<DateTime>($"SELECT expires_at FROM bindings WHERE order_id = '{changedOrder}'");

        // Someone changed B and the expiry at the provider behind our back, and unbound the other binding there.
        Assert.Null((await provider.UpdateSubscriptionAsync(new SubscriptionUpdate.ChangePartyB(changed, PhoneNumber.Parse(TestPhones.Next())), CancellationToken.None)).Error);
        Assert.Null((await provider.UpdateSubscriptionAsync(new SubscriptionUpdate.ChangeExpiry(changed, DateTimeOffset.UtcNow + TimeSpan.FromHours(5)), CancellationToken.None)).Error);
        Assert.Null((await provider.UnbindSubscriptionAsync(gone, CancellationToken.None)).Error);

        var summary = await Reconciler(instance).RunOnceAsync(CancellationToken.None);
        output.WriteLine($"checked={summary.DriftChecked} repaired={summary.DriftRepaired} ended={summary.EndedAtProvider} errors={summary.ProviderErrors}");

        Assert.Equal(2, summary.DriftChecked);
        Assert.Equal(1, summary.DriftRepaired);
        Assert.Equal(1, summary.EndedAtProvider);
        var detail = await provider.QuerySubscriptionDetailAsync(changed, CancellationToken.None);
        var ours = await client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{changedOrder}/protection");
        Assert.Equal(ours.GetProperty("driverPhone").GetString(), detail.Value!.PartyB!.Masked);
        Assert.Equal(new DateTimeOffset(ourExpiry, TimeSpan.Zero), detail.Value.ExpiresAt);
        Assert.Equal("Released", await StatusOfAsync(goneOrder));

        // Checked once per DriftCheckInterval: a second run compares nothing.
        Assert.Equal(0, (await Reconciler(instance).RunOnceAsync(CancellationToken.None)).DriftChecked);

        // The binding gone at the provider is released once, by the first run.
        var events = await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == goneOrder, atLeast: 2);
        Assert.Equal(["BindingCreated", "BindingReleased"], events.Select(e => e.MessageType));
        Assert.Equal("endedAtProvider", events[1].Get("reason"));
    }

    [Fact]
    public async Task TwoReplicasReconcilingAtOnce_AdoptEachPendingBindingOnce_WithOneBindingCreatedEach()
    {
        var instances = new[] { Start(), Start() };
        var client = instances[0].CreateClient();
        await SimulatorFaults.SetAsync(fixture.Simulator, new { actions = new[] { "BindAxb" }, timeout = new { rate = 1.0, mode = "after", hangMs = 1500 } });
        var orders = new List<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var (orderId, response) = await ProtectAsync(client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            lock (orders)
            {
                orders.Add(orderId);
            }
        }));
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        // The client gave up after 1 s; on a busy machine the simulator may apply a bind a little later than that.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await fixture.Simulator.BindingsAsync()).Count < orders.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100); // pacing: polls the simulator
        }

        var summaries = await Task.WhenAll(instances.Select(i => Reconciler(i).RunOnceAsync(CancellationToken.None)));
        var more = await Reconciler(instances[0]).RunOnceAsync(CancellationToken.None); // if one found the pool busy
        var adopted = summaries.Sum(s => s.Adopted) + more.Adopted;
        output.WriteLine($"replicas: [{string.Join("] [", summaries.Select(s => s.ToString()))}], then [{more}]");

        Assert.Equal(orders.Count, adopted);
        Assert.Equal(orders.Count, await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings WHERE status = 'Active'"));
        var set = orders.ToHashSet();
        var events = await fixture.Events.AllOnceQuietAsync(e => set.Contains(e.Get("orderId") ?? string.Empty), orders.Count);
        var perOrder = events.GroupBy(e => e.Get("orderId")).ToList();
        Assert.Equal(orders.Count, perOrder.Count);
        Assert.All(events, e => Assert.Equal("BindingCreated", e.MessageType));
        Assert.All(perOrder, g => Assert.Single(g.Select(e => e.MessageId).Distinct())); // no replica adopted twice (a redelivery keeps its MessageId)
    }

    private BindingServiceFactory Start(params (string Key, string Value)[] settings)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Jobs:Reconciler:Enabled"] = "false", // runs are driven by the test
            ["Jobs:Reconciler:PendingAfter"] = "00:00:00",
            ["Jobs:Reconciler:OrphanAfter"] = "00:00:00",
            ["Jobs:Reconciler:DriftSettle"] = "00:00:00",
            ["Jobs:Reconciler:ProviderCallsPerSecond"] = "1000",
            ["Aliyun:Actions:BindAxb:Timeout"] = "00:00:01",
            // The pool's numbers (provider mode): the X numbers the reconciler walks even before we hold a binding on them.
            [$"Protection:NumberSelection:Pools:{SimulatorHost.PoolKey}:Ranges:0:Start"] = "17000000001",
            [$"Protection:NumberSelection:Pools:{SimulatorHost.PoolKey}:Ranges:0:Count"] = "20",
        };
        foreach (var (key, value) in settings)
        {
            overrides[key] = value;
        }

        var factory = new BindingServiceFactory(fixture, overrides);
        _instances.Add(factory);
        return factory;
    }

    private static Reconciler Reconciler(BindingServiceFactory instance) => instance.Services.GetRequiredService<Reconciler>();

    private static async Task<(string OrderId, HttpResponseMessage Response)> ProtectAsync(HttpClient client, string? orderId = null)
    {
        orderId ??= $"ride-{Guid.NewGuid():N}";
        var response = await client.PutAsJsonAsync(
            $"/v1/ride-orders/{orderId}/protection",
            new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next(), expiresAt = DateTimeOffset.UtcNow + Ttl });
        return (orderId, response);
    }

    private Task<string?> StatusOfAsync(string orderId) =>
        fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE order_id = '{orderId}' ORDER BY created_at DESC LIMIT 1");

    private async Task<SubscriptionRef> SubscriptionOfAsync(string orderId) => new(
        SimulatorHost.PoolKey,
        (await fixture.ScalarAsync<string>($"SELECT subs_id FROM bindings WHERE order_id = '{orderId}'"))!,
        (await fixture.ScalarAsync<string>($"SELECT secret_no FROM bindings WHERE order_id = '{orderId}'"))!);
}
