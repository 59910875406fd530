using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Api.Infrastructure;
using BindingService.Infrastructure.Jobs;
using BindingService.Integration.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace BindingService.Integration.Tests;

/// <summary>
/// The expiry sweeper (issue 5) through real service instances sharing one database, broker and simulator: due
/// bindings are expired exactly once however many replicas sweep at once (FOR UPDATE SKIP LOCKED, invariant 4: the
/// BindingExpired event is written in the same transaction), and the lag gauge reports how late the sweep is.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class ExpirySweeperTests(ServiceFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan MinTtlAndMargin = TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(15);
    private readonly List<IAsyncDisposable> _hosts = [];
    private readonly List<IDisposable> _listeners = [];

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync()
    {
        _listeners.ForEach(l => l.Dispose());
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            await _hosts[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task ThreeReplicasSweeping_ExpireEveryDueBindingExactlyOnce_WithOneBindingExpiredEach()
    {
        var instances = Enumerable.Range(0, 3).Select(_ => StartInstance(sweeperEnabled: true, batchSize: 4)).ToList();
        var clients = instances.Select(i => i.Host.CreateClient()).ToList();
        var meters = instances.Select(i => Meters(i.Host)).ToList();

        const int count = 30;
        var bindingIds = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var protection = await ProtectAsync(clients[i % clients.Count], instances[i % instances.Count].Clock);
            bindingIds.Add(protection.GetProperty("bindingId").GetString()!);
        }

        // Every replica sweeps twice more after the last binding was written (so one whole sweep of each began after
        // it) and expires nothing: nothing is due yet on their clocks.
        var batchesSoFar = meters.Select(m => m.Batches).ToList();
        await WaitUntilAsync(() => Task.FromResult(meters.Select((m, i) => m.Batches >= batchesSoFar[i] + 2).All(swept => swept)));
        Assert.All(meters, m => Assert.Equal(0L, m.Expired));
        Assert.Equal(count, await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings WHERE status = 'Active'"));

        // All three replicas' clocks move past the expiry together; their sweepers (every 200 ms, 4 per batch) race.
        instances.ForEach(i => i.Clock.Advance(TimeSpan.FromMinutes(3)));
        await WaitUntilAsync(async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings WHERE status = 'Expired'") == count);

        var ids = bindingIds.ToHashSet();
        var expiredEvents = await fixture.Events.AllOnceQuietAsync(e => e.MessageType == "BindingExpired" && ids.Contains(e.Get("bindingId")!), count);
        var expiredPerBinding = expiredEvents
            .GroupBy(e => e.Get("bindingId")!)
            .ToDictionary(g => g.Key, g => g.Count());
        var perInstance = meters.Select(m => m.Expired).ToList();
        var guids = bindingIds.Select(Guid.Parse).ToHashSet();
        var atProvider = (await fixture.Simulator.BindingsAsync()).Count(b => Guid.TryParse(b.GetProperty("outId").GetString(), out var outId) && guids.Contains(outId));
        output.WriteLine(
            $"[fault-5] instances={instances.Count} requests={count} db_bindings={await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings")} " +
            $"db_expired={await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings WHERE status = 'Expired'")} provider_bindings={atProvider} " +
            $"events_expired={expiredPerBinding.Values.Sum()} bindings_with_event={expiredPerBinding.Count} expired_per_instance=[{string.Join(", ", perInstance)}]");

        Assert.Equal(count, atProvider); // each protect bound once at the provider (OutId = our binding id)
        Assert.Equal(count, expiredPerBinding.Count);
        Assert.All(bindingIds, id => Assert.Equal(1, expiredPerBinding[id]));
        Assert.Equal(count, perInstance.Sum());
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings WHERE status <> 'Expired'"));
        Assert.Equal(count, await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings WHERE ended_at IS NOT NULL"));
        Assert.Equal(count, await fixture.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%BindingExpired%'"));
        Assert.Equal(count, await fixture.ScalarAsync<long>("SELECT count(DISTINCT aggregate_id) FROM outbox_messages WHERE message_type LIKE '%BindingExpired%'"));
    }

    [Fact]
    public async Task LagGauge_ReportsTheOldestDueBindingsAge_BeforeTheSweep_AndZeroAfter()
    {
        var watcher = StartInstance(sweeperEnabled: false, batchSize: 100);
        var client = watcher.Host.CreateClient();
        var gauge = Meters(watcher.Host);
        var protection = await ProtectAsync(client, watcher.Clock);
        var bindingId = protection.GetProperty("bindingId").GetString()!;
        var expiresAt = protection.GetProperty("expiresAt").GetDateTimeOffset();
        // The gauge measures in the background (an observation never waits for the database): the first observations
        // report nothing, then the lag measured after the one before.
        Assert.Equal(0d, await gauge.ObserveLagUntilAsync(value => value is not null));

        watcher.Clock.Advance(TimeSpan.FromMinutes(3));
        var before = watcher.Clock.GetUtcNow() - expiresAt;
        var lag = await gauge.ObserveLagUntilAsync(value => value > 0);
        var after = watcher.Clock.GetUtcNow() - expiresAt;
        output.WriteLine($"lag before the sweep: {lag:F1} s (expected {before.TotalSeconds:F1}..{after.TotalSeconds:F1})");
        Assert.NotNull(lag);
        Assert.InRange(lag.Value, before.TotalSeconds - 0.01, after.TotalSeconds + 0.01);
        Assert.True(lag > 30, "the binding is more than 30 s past its expiry on this clock");

        // Disabled: the watcher's sweeper loop has already ended without a batch, so the binding stays Active here.
        var watcherSweeper = watcher.Host.Services.GetServices<IHostedService>().OfType<PeriodicJob>().Single(j => j.GetType().Name == "ExpirySweeper");
        Assert.True(watcherSweeper.ExecuteTask is { IsCompletedSuccessfully: true }, "a disabled sweeper returns at once");
        Assert.Equal(0L, gauge.Batches);
        Assert.Equal("Active", await fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE id = '{bindingId}'"));

        // A sweeping replica with the same clock expires it; the gauge drops to 0.
        var sweeper = StartInstance(sweeperEnabled: true, batchSize: 100);
        sweeper.Clock.Advance(TimeSpan.FromMinutes(3));
        _ = sweeper.Host.Services;
        await WaitUntilAsync(async () => await fixture.ScalarAsync<string>($"SELECT status FROM bindings WHERE id = '{bindingId}'") == "Expired");
        Assert.Equal(0d, await gauge.ObserveLagUntilAsync(value => value == 0));
        var events = await fixture.Events.AllOnceQuietAsync(e => e.Get("bindingId") == bindingId, atLeast: 2);
        Assert.Equal(["BindingCreated", "BindingExpired"], events.Select(e => e.MessageType));
    }

    private (WebApplicationFactory<CallerContext> Host, OffsetTimeProvider Clock) StartInstance(bool sweeperEnabled, int batchSize)
    {
        var clock = new OffsetTimeProvider();
        var factory = new BindingServiceFactory(fixture, new Dictionary<string, string?>
        {
            ["Jobs:ExpirySweeper:Enabled"] = sweeperEnabled ? "true" : "false",
            ["Jobs:ExpirySweeper:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Jobs:ExpirySweeper:Interval"] = "00:00:00.200",
        });
        var host = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        _hosts.Add(factory);
        _hosts.Add(host);
        return (host, clock);
    }

    private SweeperMeters Meters(WebApplicationFactory<CallerContext> host)
    {
        var meters = new SweeperMeters(host.Services.GetRequiredService<IMeterFactory>());
        _listeners.Add(meters);
        return meters;
    }

    private static async Task<JsonElement> ProtectAsync(HttpClient client, TimeProvider clock)
    {
        var url = $"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection";
        var created = await client.PutAsJsonAsync(url, new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next(), expiresAt = clock.GetUtcNow() + MinTtlAndMargin });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await created.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20 s");
            await Task.Delay(100); // pacing: polls the condition
        }
    }

    /// <summary>The BindingService.Jobs instruments of ONE instance (its own IMeterFactory is the meters' scope).</summary>
    private sealed class SweeperMeters : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _expired;
        private long _batches;
        private double? _lag;

        public SweeperMeters(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ExpirySweeperMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (instrument.Name == ExpirySweeperMetrics.ExpiredName)
                {
                    Interlocked.Add(ref _expired, value);
                }
            });
            _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
            {
                if (instrument.Name == ExpirySweeperMetrics.LagName)
                {
                    _lag = value;
                }
                else if (instrument.Name == ExpirySweeperMetrics.BatchDurationName)
                {
                    Interlocked.Increment(ref _batches);
                }
            });
            _listener.Start();
        }

        public long Expired => Interlocked.Read(ref _expired);

        /// <summary>Sweeper batches run (every run takes at least one, even when nothing is due).</summary>
        public long Batches => Interlocked.Read(ref _batches);

        /// <summary>Observes the lag gauge until <paramref name="done"/> holds (20 s at most); the last observation.</summary>
        public async Task<double?> ObserveLagUntilAsync(Func<double?, bool> done)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                _lag = null;
                _listener.RecordObservableInstruments();
                if (done(_lag) || DateTime.UtcNow >= deadline)
                {
                    return _lag;
                }

                await Task.Delay(100); // pacing: the gauge's next measurement starts at an observation a second after the last
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
