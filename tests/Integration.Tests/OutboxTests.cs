using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using BindingService.Infrastructure.Messaging;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BindingService.Integration.Tests;

/// <summary>
/// Issue 5, outbox: events of one binding leave in bindingVersion order even with several dispatchers racing, no event
/// is published twice by two dispatchers, a row that cannot be published holds back only its own binding, sent rows
/// are pruned after the retention while unsent ones stay, and the backlog is measured.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class OutboxTests(ServiceFixture fixture) : IAsyncLifetime
{
    private const int Bindings = 30;
    private const int EventsPerBinding = 4; // created, driver changed, expiry changed, released

    public Task InitializeAsync() => fixture.ResetAsync();

    // Rows inserted by hand (unknown types) would otherwise be retried by the dispatchers until the next reset.
    public async Task DisposeAsync() => await ExecuteAsync("DELETE FROM outbox_messages WHERE message_type LIKE 'Test%'");

    [Fact]
    public async Task OrderPerBinding_AndOnePublicationPerEvent_HoldWithTwoDispatchersRacing()
    {
        // Two service instances, each serving API calls and running its dispatcher, over the same database.
        await using var second = new BindingServiceFactory(fixture, new Dictionary<string, string?> { ["Outbox:BatchSize"] = "3" });
        using var secondClient = second.CreateClient();
        var clients = new[] { fixture.Client, secondClient };
        var orders = Enumerable.Range(0, Bindings).Select(_ => $"ride-{Guid.NewGuid():N}").ToList();

        // Ride protect → change driver → change expiry → cancel, bindings in parallel, steps alternating instances.
        await Task.WhenAll(orders.Select(async (orderId, i) =>
        {
            var url = $"/v1/ride-orders/{orderId}/protection";
            var created = await clients[i % 2].PutAsJsonAsync(url, new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await clients[(i + 1) % 2].PutAsJsonAsync($"{url}/driver", new { driverPhone = TestPhones.Next() })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await clients[i % 2].PutAsJsonAsync($"{url}/expiry", new { expiresAt = DateTimeOffset.UtcNow.AddHours(3) })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await clients[(i + 1) % 2].DeleteAsync(url)).StatusCode);
        }));

        // Everything both dispatchers published, once the outbox is drained (a second publication would be here too).
        var orderSet = orders.ToHashSet();
        var received = await fixture.Events.AllOnceQuietAsync(e => orderSet.Contains(e.Get("orderId") ?? string.Empty), Bindings * EventsPerBinding, TimeSpan.FromSeconds(60));

        AssertOnePublicationPerEvent(received, expectedPerMessageId: 1);
        AssertOrderedPerBinding(received, orders);
    }

    [Fact]
    public async Task Backlog_RepublishedByThreeDispatchers_KeepsOrderPerBinding_AndPublishesEachRowOnce()
    {
        var orders = Enumerable.Range(0, Bindings).Select(_ => $"ride-{Guid.NewGuid():N}").ToList();
        await Task.WhenAll(orders.Select(async orderId =>
        {
            var url = $"/v1/ride-orders/{orderId}/protection";
            Assert.Equal(HttpStatusCode.Created, (await fixture.Client.PutAsJsonAsync(url, new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PutAsJsonAsync($"{url}/driver", new { driverPhone = TestPhones.Next() })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PutAsJsonAsync($"{url}/expiry", new { expiresAt = DateTimeOffset.UtcNow.AddHours(3) })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await fixture.Client.DeleteAsync(url)).StatusCode);
        }));
        var orderSet = orders.ToHashSet();
        var total = Bindings * EventsPerBinding;
        AssertOnePublicationPerEvent(await fixture.Events.AllOnceQuietAsync(e => orderSet.Contains(e.Get("orderId") ?? string.Empty), total, TimeSpan.FromSeconds(60)), expectedPerMessageId: 1);

        // Two more dispatchers taking one row per batch, so the backlog is split between three of them.
        await using var second = new BindingServiceFactory(fixture, new Dictionary<string, string?> { ["Outbox:BatchSize"] = "1" });
        await using var third = new BindingServiceFactory(fixture, new Dictionary<string, string?> { ["Outbox:BatchSize"] = "1" });
        using var _ = second.CreateClient();
        using var __ = third.CreateClient();
        var firstRound = fixture.Events.Events.Count;

        // At-least-once: a dispatcher that died after publishing but before marking leaves its rows unsent. The whole
        // backlog becomes unsent at once (one statement), and all three dispatchers race over it.
        Assert.Equal(total, await ExecuteAsync("UPDATE outbox_messages SET sent_at = NULL"));
        var all = await fixture.Events.AllOnceQuietAsync(e => orderSet.Contains(e.Get("orderId") ?? string.Empty), 2 * total, TimeSpan.FromSeconds(60));

        var republished = fixture.Events.Events.Skip(firstRound).Where(e => orderSet.Contains(e.Get("orderId") ?? string.Empty)).ToList();
        AssertOnePublicationPerEvent(republished, expectedPerMessageId: 1);
        AssertOrderedPerBinding(republished, orders);
        // The redelivery carries the same MessageId (= eventId) as the first delivery: that is what consumers de-duplicate on.
        AssertOnePublicationPerEvent(all, expectedPerMessageId: 2);
    }

    [Fact]
    public async Task BrokerUnreachable_ApiCallsStillSucceed_AndTheEventIsDelayedNotLost()
    {
        // A replica whose broker is unreachable (nothing listens on port 1): its API still serves, its dispatcher's
        // publishes fail and leave the rows unsent, and a healthy dispatcher publishes them once.
        await using var cutOff = new BindingServiceFactory(fixture, new Dictionary<string, string?>
        {
            ["RabbitMq:Port"] = "1",
            ["Outbox:PublishTimeout"] = "00:00:01",
        });
        using var client = cutOff.CreateClient();
        var orderId = $"ride-{Guid.NewGuid():N}";

        // Both instances warm (a first protect each), then the same call timed on each: the healthy one is the baseline.
        await ProtectAsync(client);
        await ProtectAsync(fixture.Client);
        var baseline = Stopwatch.StartNew();
        await ProtectAsync(fixture.Client);
        baseline.Stop();
        var call = Stopwatch.StartNew();
        var response = await client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() });
        call.Stop();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        // A call that waited for this unreachable broker would last until a timeout (a publish gives up after
        // PublishTimeout, 1 s here; the bus itself retries connecting for ever). Bound: 10 × the same call on the healthy
        // instance, at least 3 s — wide enough for a busy machine's scheduling, far below a wait for the broker.
        var bound = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(3).Ticks, 10 * baseline.Elapsed.Ticks));
        Assert.True(call.Elapsed < bound, $"the API call must not wait for the broker: {call.Elapsed.TotalMilliseconds:0} ms, bound {bound.TotalMilliseconds:0} ms (healthy instance {baseline.Elapsed.TotalMilliseconds:0} ms)");
        var received = Assert.Single(await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, timeout: TimeSpan.FromSeconds(30)));
        Assert.Equal(received.MessageId, received.Get("eventId"));
        Assert.Equal(received.MessageId, await fixture.ScalarAsync<string>($"SELECT id::text FROM outbox_messages WHERE sent_at IS NOT NULL AND payload->>'orderId' = '{orderId}'"));
    }

    [Fact]
    public async Task ARowThatCannotBePublished_HoldsBackLaterRowsOfItsBindingOnly()
    {
        var (blockedOrder, blockedBinding) = await ProtectAsync();
        var (freeOrder, freeBinding) = await ProtectAsync();
        await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == blockedOrder || e.Get("orderId") == freeOrder, 2);

        // A poison row (unknown type) of the first binding, then a readable later event of each binding.
        var poison = Guid.NewGuid();
        await InsertRowAsync(poison, blockedBinding, "TestPoison", "{}", DateTimeOffset.UtcNow, sentAt: null);
        var heldBack = await CopyEventAsync(blockedBinding, blockedOrder);
        var goesOut = await CopyEventAsync(freeBinding, freeOrder);

        // Two more failed attempts at the poison row: the round of the second one claimed its rows after the first
        // committed, hence after heldBack was written, and would have taken heldBack with it were it claimable.
        var attempts = await AttemptsAsync(poison);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await AttemptsAsync(poison) < attempts + 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the dispatcher did not retry the poison row twice within 20 s");
            await Task.Delay(50); // pacing: polls the row's attempts
        }

        // Everything published up to then has reached the listener: goesOut, and not heldBack.
        var received = await fixture.Events.AllOnceQuietAsync(
            e => e.MessageId == goesOut.ToString() || e.MessageId == heldBack.ToString(), ignoringUnsent: [poison, heldBack]);
        Assert.Equal([goesOut.ToString()], received.Select(e => e.MessageId));
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id = '{heldBack}' AND sent_at IS NOT NULL"));
    }

    [Fact]
    public async Task Pruning_DeletesSentRowsOlderThanTheRetention_InBatches_KeepsRecentAndUnsentRows_AcrossTwoReplicas()
    {
        // Counts every prune of this process: the explicit ones below and the second instance's own start-up run.
        long prunedMetric = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OutboxMetrics.MeterName && instrument.Name == "bindingservice.outbox.pruned")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref prunedMetric, value));
        listener.Start();

        // The rows are within the instances' own retention (7 days, their start-up runs leave them alone) and past the
        // 2 days the explicit runs below are given: only those runs can delete them.
        var now = DateTimeOffset.UtcNow;
        var old = new List<Guid>();
        for (var i = 0; i < 25; i++)
        {
            var id = Guid.NewGuid();
            old.Add(id);
            await InsertRowAsync(id, Guid.NewGuid(), "TestSent", "{}", now.AddDays(-4), sentAt: now.AddDays(-3));
        }

        var recentSent = Guid.NewGuid();
        await InsertRowAsync(recentSent, Guid.NewGuid(), "TestSent", "{}", now.AddDays(-2), sentAt: now.AddDays(-1));
        var oldUnsent = Guid.NewGuid();
        await InsertRowAsync(oldUnsent, Guid.NewGuid(), "TestUnsent", "{}", now.AddDays(-30), sentAt: null);

        await using var second = new BindingServiceFactory(fixture, new Dictionary<string, string?> { ["Outbox:PruneBatchSize"] = "4" });
        using var _ = second.CreateClient();
        var settings = new OutboxOptions { Retention = TimeSpan.FromDays(2), PruneBatchSize = 4 };
        var deleted = await Task.WhenAll(
            fixture.Factory.Services.GetRequiredService<OutboxPruner>().PruneAsync(settings, CancellationToken.None),
            second.Services.GetRequiredService<OutboxPruner>().PruneAsync(settings, CancellationToken.None));

        // Two replicas pruning at once delete every old sent row exactly once between them (batches of 4 < 25 rows).
        Assert.Equal(old.Count, deleted.Sum());
        Assert.Equal(old.Count, Interlocked.Read(ref prunedMetric));
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id IN ({string.Join(',', old.Select(id => $"'{id}'"))})"));
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id = '{recentSent}'"));
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id = '{oldUnsent}'"));
    }

    [Fact]
    public async Task BacklogGauges_ReportUnsentCount_AndAgeOfTheOldestUnsentRow()
    {
        var occurred = DateTimeOffset.UtcNow.AddHours(-3); // the rows' age is 3 h now, and grows with the test's own time
        await InsertRowAsync(Guid.NewGuid(), Guid.NewGuid(), "TestUnsent", "{}", occurred, sentAt: null);
        await InsertRowAsync(Guid.NewGuid(), Guid.NewGuid(), "TestUnsent", "{}", occurred.AddHours(1), sentAt: null);
        await InsertRowAsync(Guid.NewGuid(), Guid.NewGuid(), "TestSent", "{}", occurred.AddHours(-1), sentAt: occurred);

        await using var instance = new BindingServiceFactory(fixture, new Dictionary<string, string?> { ["Outbox:BacklogMetricsInterval"] = "00:00:00.200" });
        using var _ = instance.CreateClient();
        var (unsent, oldest) = await instance.Services.GetRequiredService<OutboxDispatcher>().ReadBacklogAsync(CancellationToken.None);
        Assert.Equal(2L, unsent);
        Assert.Equal(occurred.ToUnixTimeMilliseconds(), oldest!.Value.ToUnixTimeMilliseconds(), tolerance: 1);

        // The gauges follow within the refresh interval.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        (long Backlog, double Age) observed = default;
        while (DateTime.UtcNow < deadline)
        {
            observed = ObserveGauges();
            if (observed.Backlog == 2)
            {
                break;
            }

            await Task.Delay(100); // pacing: polls the gauges
        }

        // The gauge was refreshed between the rows' insertion and now: the age lies between 3 h and the time elapsed
        // since `occurred` was taken (10 ms for timestamp rounding).
        var elapsedSinceOccurred = DateTimeOffset.UtcNow - occurred;
        Assert.Equal(2L, observed.Backlog);
        Assert.InRange(observed.Age, TimeSpan.FromHours(3).TotalSeconds - 0.01, elapsedSinceOccurred.TotalSeconds + 0.01);
    }

    private static (long Backlog, double Age) ObserveGauges()
    {
        long backlog = -1;
        double age = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OutboxMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "bindingservice.outbox.backlog")
            {
                backlog = value;
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "bindingservice.outbox.oldest_unsent_age")
            {
                age = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return (backlog, age);
    }

    private static void AssertOnePublicationPerEvent(IReadOnlyList<ReceivedEvent> events, int expectedPerMessageId)
    {
        var duplicates = events.GroupBy(e => e.MessageId).Where(g => g.Count() != expectedPerMessageId).Select(g => $"{g.Key}×{g.Count()}").ToList();
        Assert.True(duplicates.Count == 0, $"every MessageId should be received {expectedPerMessageId} time(s): {string.Join(", ", duplicates)}");
        Assert.All(events, e => Assert.Equal(e.MessageId, e.Get("eventId")));
    }

    private static void AssertOrderedPerBinding(IReadOnlyList<ReceivedEvent> events, IReadOnlyList<string> orders)
    {
        foreach (var orderId in orders)
        {
            var versions = events.Where(e => e.Get("orderId") == orderId).Select(e => int.Parse(e.Get("bindingVersion")!, CultureInfo.InvariantCulture)).ToList();
            Assert.True(versions.SequenceEqual(Enumerable.Range(1, EventsPerBinding)), $"{orderId}: bindingVersion arrived as [{string.Join(", ", versions)}]");
        }
    }

    private async Task<int> AttemptsAsync(Guid rowId) => await fixture.ScalarAsync<int>($"SELECT attempts FROM outbox_messages WHERE id = '{rowId}'");

    private async Task<(string OrderId, Guid BindingId)> ProtectAsync(HttpClient? client = null)
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        var response = await (client ?? fixture.Client).PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return (orderId, Guid.Parse(body.GetProperty("bindingId").GetString()!));
    }

    /// <summary>A new unsent row of the binding: a copy of its BindingCreated event under a new event id.</summary>
    private async Task<Guid> CopyEventAsync(Guid bindingId, string orderId)
    {
        var id = Guid.NewGuid();
        var copied = await ExecuteAsync($$"""
            INSERT INTO outbox_messages (id, aggregate_id, message_type, payload, occurred_at, attempts)
            SELECT '{{id}}', aggregate_id, message_type, jsonb_set(payload, '{eventId}', to_jsonb('{{id}}'::text)), now(), 0
            FROM outbox_messages WHERE aggregate_id = '{{bindingId}}' AND message_type = 'BindingCreated'
            """);
        Assert.Equal(1, copied);
        Assert.Equal(orderId, await fixture.ScalarAsync<string>($"SELECT payload->>'orderId' FROM outbox_messages WHERE id = '{id}'"));
        return id;
    }

    private async Task InsertRowAsync(Guid id, Guid aggregateId, string type, string payload, DateTimeOffset occurredAt, DateTimeOffset? sentAt)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "INSERT INTO outbox_messages (id, aggregate_id, message_type, payload, occurred_at, sent_at, attempts) VALUES (@id, @aggregate, @type, @payload::jsonb, @occurred, @sent, 0)",
            connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("aggregate", aggregateId);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("payload", payload);
        command.Parameters.AddWithValue("occurred", occurredAt);
        command.Parameters.AddWithValue("sent", sentAt is { } s ? s : DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
