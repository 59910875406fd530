using System.Security.Cryptography;
using System.Text.Json;
using BindingService.Infrastructure.Messaging;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Security;
using BindingService.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BindingService.Integration.Tests;

/// <summary>
/// The outbox claim (OutboxDispatcher.ClaimSql) after a burst that statistics have not seen: the table was analysed
/// while nothing was unsent, then 20,000 events of as many bindings arrived (a mass expiry). The claim of 100 rows must
/// still cost a probe per candidate row, not a scan of every unsent row per candidate — which with the old form of the
/// query took seconds per claim until the next automatic ANALYZE (docs/performance.md, round 5). Measured in buffers
/// read by PostgreSQL's own EXPLAIN ANALYZE, not in time. A database of its own with autovacuum off for the table, so
/// no automatic ANALYZE can refresh the statistics during the test; no service runs on it.
/// </summary>
public sealed class OutboxClaimPlanTests : IAsyncLifetime
{
    private const int Backlog = 20_000;
    private const int Limit = 100;

    // Measured on PostgreSQL 15: a probe per candidate reads about 750 buffers for the claim; the old anti join read
    // 34,800 here (and grows with the backlog: 100 × the unsent rows). The bound sits between, far from both.
    private const long MaxBuffers = 5_000;

    private TestServers _servers = null!;
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _servers = await TestServers.StartAsync();
        _database = await TestDatabase.CreateAsync(_servers.PostgresAdminConnectionString, "bs_claim");
        var protector = new PhoneNumberProtector(Options.Create(new SecurityOptions
        {
            PhoneEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            PhoneHashKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }));
        var options = new DbContextOptionsBuilder<BindingDbContext>();
        PersistenceSetup.Configure(options, _database.ConnectionString, protector);
        await using var db = new BindingDbContext(options.Options);
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _servers.DisposeAsync();
    }

    [Fact]
    public async Task TheClaim_AfterABurstTheStatisticsHaveNotSeen_ProbesEachCandidate_AndClaimsTheHeads()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "ALTER TABLE outbox_messages SET (autovacuum_enabled = false)");

        // History: sent rows only, analysed — the statistics say nothing is unsent.
        await ExecuteAsync(connection, """
            INSERT INTO outbox_messages (id, aggregate_id, message_type, payload, occurred_at, attempts, sent_at)
            SELECT gen_random_uuid(), gen_random_uuid(), 'BindingCreated', '{}', now(), 0, now() FROM generate_series(1, 5000)
            """);
        await ExecuteAsync(connection, "ANALYZE outbox_messages");

        // The burst: 50 bindings with two unsent rows each (the second is not a head), then one row for each of
        // 20,000 more bindings.
        await ExecuteAsync(connection, """
            CREATE TEMPORARY TABLE two_events AS SELECT gen_random_uuid() AS id FROM generate_series(1, 50);
            INSERT INTO outbox_messages (id, aggregate_id, message_type, payload, occurred_at, attempts)
            SELECT gen_random_uuid(), id, 'BindingCreated', '{}', now(), 0 FROM two_events;
            INSERT INTO outbox_messages (id, aggregate_id, message_type, payload, occurred_at, attempts)
            SELECT gen_random_uuid(), id, 'BindingUpdated', '{}', now(), 0 FROM two_events;
            """);
        await ExecuteAsync(connection, $$"""
            INSERT INTO outbox_messages (id, aggregate_id, message_type, payload, occurred_at, attempts)
            SELECT gen_random_uuid(), gen_random_uuid(), 'BindingExpired', '{}', now(), 0 FROM generate_series(1, {{Backlog}})
            """);

        await using var transaction = await connection.BeginTransactionAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + OutboxDispatcher.ClaimSql, connection, transaction);
        explain.Parameters.Add(new NpgsqlParameter("limit", Limit));
        var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan");

        Assert.Equal(Limit, plan.GetProperty("Actual Rows").GetInt64());
        var buffers = plan.GetProperty("Shared Hit Blocks").GetInt64() + plan.GetProperty("Shared Read Blocks").GetInt64();
        Assert.True(buffers < MaxBuffers, $"the claim of {Limit} rows read {buffers} buffers with {Backlog} unsent rows the statistics have not seen: {plan}");

        // What it claims: the first 100 heads in sequence order — the 50 first events, then 50 of the burst; never a
        // binding's second event while its first is unsent.
        await using var claim = new NpgsqlCommand(OutboxDispatcher.ClaimSql, connection, transaction);
        claim.Parameters.Add(new NpgsqlParameter("limit", Limit));
        var types = new List<string>();
        await using (var reader = await claim.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                types.Add(reader.GetString(reader.GetOrdinal("message_type")));
            }
        }

        Assert.Equal([.. Enumerable.Repeat("BindingCreated", 50), .. Enumerable.Repeat("BindingExpired", Limit - 50)], types);
        await transaction.RollbackAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
