using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;
using Npgsql;

namespace BindingService.Integration.Tests;

/// <summary>
/// The outbox rule for rows that can never be published as stored (OutboxDispatcher: an unknown message type, a
/// payload that does not deserialize, a null payload): they do not hold back the other bindings' events — not even
/// those in the same batch after them — and each is reported: its attempts and last error on the row, and a warning
/// naming the row in the service log. They stay unsent (nothing is lost) and keep back only their own binding.
/// Runs with the fixture's real dispatcher, database and broker.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class OutboxRuleTests(ServiceFixture fixture) : IAsyncLifetime
{
    private readonly List<Guid> _unreadable = [];

    public Task InitializeAsync() => fixture.ResetAsync();

    // The dispatchers would retry these rows every round until the next reset.
    public async Task DisposeAsync()
    {
        foreach (var id in _unreadable)
        {
            await ExecuteAsync($"DELETE FROM outbox_messages WHERE id = '{id}'");
        }
    }

    [Fact]
    public async Task UnreadableRows_DoNotBlockTheOthers_AndAreReported()
    {
        // A real binding whose BindingCreated has gone out: its event is copied below as the readable row.
        var orderId = $"ride-{Guid.NewGuid():N}";
        var created = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var bindingId = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString()!);
        await fixture.Events.WaitForAsync(e => e.Get("orderId") == orderId);

        // In one transaction, so one dispatcher batch claims them together, in this order (sequence): three rows that
        // cannot be published, each of a binding of its own, then a readable event of another binding.
        var unknownType = Guid.NewGuid();
        var badPayload = Guid.NewGuid();
        var nullPayload = Guid.NewGuid();
        var readable = Guid.NewGuid();
        _unreadable.AddRange([unknownType, badPayload, nullPayload]);
        await ExecuteAsync($$"""
            BEGIN;
            INSERT INTO outbox_messages (id, aggregate_id, message_type, payload, occurred_at, attempts)
            VALUES ('{{unknownType}}', gen_random_uuid(), 'NoSuchEvent', '{}', now(), 0);
            INSERT INTO outbox_messages (id, aggregate_id, message_type, payload, occurred_at, attempts)
            VALUES ('{{badPayload}}', gen_random_uuid(), 'BindingCreated', '{"eventId": "not-a-guid", "bindingVersion": "one"}', now(), 0);
            INSERT INTO outbox_messages (id, aggregate_id, message_type, payload, occurred_at, attempts)
            VALUES ('{{nullPayload}}', gen_random_uuid(), 'BindingCreated', 'null', now(), 0);
            INSERT INTO outbox_messages (id, aggregate_id, message_type, payload, occurred_at, attempts)
            SELECT '{{readable}}', aggregate_id, message_type, jsonb_set(payload, '{eventId}', to_jsonb('{{readable}}'::text)), now(), 0
            FROM outbox_messages WHERE aggregate_id = '{{bindingId}}' AND message_type = 'BindingCreated';
            COMMIT;
            """);
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id = '{readable}'"));
        Assert.True(
            await fixture.ScalarAsync<long>($"SELECT sequence FROM outbox_messages WHERE id = '{readable}'") > await fixture.ScalarAsync<long>($"SELECT max(sequence) FROM outbox_messages WHERE id IN ('{unknownType}', '{badPayload}', '{nullPayload}')"),
            "the readable row must come after the unreadable ones");

        // The readable row goes out although the rows before it cannot.
        var published = await fixture.Events.WaitForAsync(e => e.MessageId == readable.ToString(), timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(orderId, Assert.Single(published).Get("orderId"));
        await WaitUntilAsync(async () => await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id = '{readable}' AND sent_at IS NOT NULL") == 1, "the readable row was never marked sent");

        // Each unreadable row is reported on the row and in the log, and stays unsent.
        foreach (var id in _unreadable)
        {
            await WaitUntilAsync(async () => await fixture.ScalarAsync<int>($"SELECT attempts FROM outbox_messages WHERE id = '{id}'") >= 1, $"row {id} was never attempted");
            Assert.Equal("OutboxPayloadException", await fixture.ScalarAsync<string>($"SELECT last_error FROM outbox_messages WHERE id = '{id}'"));
            Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id = '{id}' AND sent_at IS NOT NULL"));
            await WaitUntilAsync(async () => (await LogLinesAsync()).Any(l => l.Contains(id.ToString(), StringComparison.Ordinal) && l.Contains("OutboxPayloadException", StringComparison.Ordinal) && l.Contains("Could not publish outbox event", StringComparison.Ordinal)), $"no warning names row {id}");
        }

        Assert.DoesNotContain(fixture.Events.Events, e => _unreadable.Any(id => e.MessageId == id.ToString()));
    }

    /// <summary>The service log of this test run (JSON lines; the file sink flushes every 200 ms).</summary>
    private async Task<IReadOnlyList<string>> LogLinesAsync()
    {
        await using var stream = new FileStream(fixture.LogFilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync()).Split('\n');
    }

    private async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Polls a state the dispatcher reaches by itself (it polls every 200 ms); 20 s covers a loaded 2-core machine.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 20 s: {what}");
            await Task.Delay(100); // pacing: a poll
        }
    }
}
