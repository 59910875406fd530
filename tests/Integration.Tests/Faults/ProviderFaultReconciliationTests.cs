using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Infrastructure.Jobs.Reconciliation;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace BindingService.Integration.Tests.Faults;

/// <summary>
/// Fault test 3 (issue 5): the provider times out 10% of binds (half the run after applying them, half before) and
/// throttles 10% during 1,000 protects. Every request ends in 201 or a 503 ProblemDetails; after reconciliation the
/// Active bindings in our database are exactly the bindings in effect at the provider (invariant 3), and each Active
/// binding's BindingCreated reached a consumer with one MessageId.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class ProviderFaultReconciliationTests(ServiceFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Requests = 1000;
    private const int Concurrency = 16;

    private BindingServiceFactory? _instance;

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync()
    {
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task ThousandProtects_UnderTimeoutsAndThrottling_AfterReconciliation_DatabaseEqualsProvider()
    {
        _instance = new BindingServiceFactory(fixture, new Dictionary<string, string?>
        {
            ["Jobs:Reconciler:Enabled"] = "false", // the test runs it once the load is over
            ["Jobs:Reconciler:PendingAfter"] = "00:00:00",
            ["Jobs:Reconciler:OrphanAfter"] = "00:00:00",
            ["Jobs:Reconciler:ProviderCallsPerSecond"] = "1000",
            ["Aliyun:Actions:BindAxb:Timeout"] = "00:00:01",
            [$"Protection:NumberSelection:Pools:{SimulatorHost.PoolKey}:Ranges:0:Start"] = "17000000001",
            [$"Protection:NumberSelection:Pools:{SimulatorHost.PoolKey}:Ranges:0:Count"] = "20",
        });
        var client = _instance.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        var outcomes = new ConcurrentDictionary<string, int>();
        var started = DateTime.UtcNow;

        foreach (var mode in new[] { "after", "before" })
        {
            await SimulatorFaults.SetAsync(fixture.Simulator, new
            {
                seed = mode == "after" ? 3 : 4,
                actions = new[] { "BindAxb" },
                errorRates = new Dictionary<string, double> { ["Throttling.User"] = 0.1 },
                timeout = new { rate = 0.1, mode, hangMs = 1500 },
            });
            await Parallel.ForEachAsync(Enumerable.Range(0, Requests / 2), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) =>
            {
                var response = await client.PutAsJsonAsync(
                    $"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection",
                    new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next(), expiresAt = DateTimeOffset.UtcNow + TimeSpan.FromHours(1) },
                    ct);
                var outcome = response.StatusCode == HttpStatusCode.Created
                    ? "201"
                    : $"{(int)response.StatusCode}:{(await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("code").GetString()}";
                outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            });
        }

        var loadSeconds = (DateTime.UtcNow - started).TotalSeconds;
        var injected = await SimulatorFaults.CountersAsync(fixture.Simulator, "BindAxb");
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        var pendingBefore = await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings WHERE status = 'Pending'");

        var reconciler = _instance.Services.GetRequiredService<Reconciler>();
        var total = new ReconciliationSummary();
        var parity = await ProviderParity.ReconcileUntilEqualAsync(
            async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1)); // pacing between reconciliation rounds: a bind the simulator applies after the client gave up shows up in a later one
                total.Add(await reconciler.RunOnceAsync(CancellationToken.None));
            },
            fixture.ConnectionString, fixture.Simulator, SimulatorHost.PoolKey);

        var active = await ActiveBindingIdsAsync();
        // Every BindingCreated of the Active bindings, once the outbox is drained: a second one for a binding would be here.
        var created = await fixture.Events.AllOnceQuietAsync(e => e.MessageType == "BindingCreated" && active.Contains(BindingIdOf(e)), active.Count, TimeSpan.FromSeconds(60));
        var perBinding = created.GroupBy(BindingIdOf).ToDictionary(g => g.Key, g => g.Select(e => e.MessageId).Distinct().Count());

        var line = $"[fault-3] requests={Requests} ok={outcomes.GetValueOrDefault("201")} " +
            $"failed={Requests - outcomes.GetValueOrDefault("201")} ({string.Join(", ", outcomes.Where(o => o.Key != "201").OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}"))}) " +
            $"injected=({string.Join(", ", injected.OrderBy(i => i.Key).Select(i => $"{i.Key}={i.Value}"))}) pending_before_reconcile={pendingBefore} " +
            $"reconciler=({total}) {parity} events_created={created.Count} distinct_events={perBinding.Count} load_s={loadSeconds:F0}";
        output.WriteLine(line);

        Assert.Equal(Requests, outcomes.Values.Sum());
        Assert.All(outcomes.Keys, k => Assert.True(k == "201" || k.StartsWith("503:", StringComparison.Ordinal), $"unexpected outcome {k}"));
        Assert.True(injected.GetValueOrDefault("timeout:after") > 10 && injected.GetValueOrDefault("timeout:before") > 10, "the timeouts really happened");
        Assert.True(total.Adopted > 0 && total.Failed > 0, "binds applied but unanswered were adopted, the others failed");
        Assert.True(parity.Equal, $"database and provider differ: {parity}");
        Assert.Equal(active.Count, perBinding.Count);
        Assert.All(perBinding.Values, distinct => Assert.Equal(1, distinct));
    }

    private async Task<HashSet<Guid>> ActiveBindingIdsAsync()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM bindings WHERE status = 'Active'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static Guid BindingIdOf(ReceivedEvent e) => Guid.Parse(e.Get("bindingId")!);
}
