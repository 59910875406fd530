using BindingService.Infrastructure.Numbers;
using BindingService.Integration.Tests.Support;
using Npgsql;
using NpgsqlTypes;

namespace BindingService.Integration.Tests;

/// <summary>
/// docs/decisions/0003-local-number-selection.md: choosing X stays an index lookup as the inventory and the open bindings grow. On a realistic
/// dataset (2,000 numbers in 20 cities, 100,000 reservations, statistics gathered), the plans of the exact queries
/// the selector runs (<see cref="NumberSelectionSql"/>) use our indexes and never scan the big tables.
/// The 10⁴ numbers / 10⁶ reservations figures are measured by bench/NumberSelection (ADR 0003).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class LocalNumberSelectionPlanTests(ServiceFixture fixture) : IAsyncLifetime
{
    private const string Pool = "FCPLAN0000000001";

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        await using var connection = await OpenAsync();
        await using var load = new NpgsqlCommand(
            $"""
            INSERT INTO pool_numbers (pool_key, secret_no, city, state, active_pairs, updated_at)
            SELECT '{Pool}', (17100000000 + g)::text, 'city-' || (g % 20),
                   CASE WHEN g % 50 = 0 THEN 'Locked' ELSE 'Available' END, 50, now()
            FROM generate_series(0, 1999) AS g;
            INSERT INTO number_reservations (binding_id, party_role, pool_key, secret_no, party_hash, created_at)
            SELECT gen_random_uuid(), r.role, '{Pool}', (17100000000 + (b % 2000))::text,
                   CASE r.role WHEN 'A' THEN decode(md5('a' || (b % 19999)), 'hex') ELSE decode(md5('b' || b), 'hex') END, now()
            FROM generate_series(0, 49999) AS b CROSS JOIN (VALUES ('A'::char(1)), ('B'::char(1))) AS r(role);
            INSERT INTO party_last_numbers (pool_key, party_hash, secret_no, used_at)
            SELECT '{Pool}', decode(md5('a' || p), 'hex'), (17100000000 + (p % 2000))::text, now() FROM generate_series(0, 19998) AS p;
            ANALYZE pool_numbers; ANALYZE number_reservations; ANALYZE party_last_numbers;
            """,
            connection);
        load.CommandTimeout = 300;
        await load.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => fixture.ResetAsync();

    [Fact]
    public async Task PickInCity_UsesTheCityIndexAndTheReservationIndex()
    {
        var plan = await ExplainAsync(NumberSelectionSql.PickInCity, city: "city-7");

        AssertNoSeqScan(plan);
        Assert.Contains("ix_pool_numbers_pick_city", plan, StringComparison.Ordinal);
        Assert.Contains("ux_number_reservations_x_party", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PickAny_UsesThePoolIndexAndTheReservationIndex()
    {
        var plan = await ExplainAsync(NumberSelectionSql.PickAny, city: null);

        AssertNoSeqScan(plan);
        Assert.Contains("ix_pool_numbers_pick_any", plan, StringComparison.Ordinal);
        Assert.Contains("ux_number_reservations_x_party", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PickSticky_UsesThePartyKey()
    {
        var plan = await ExplainAsync(NumberSelectionSql.PickSticky, city: null);

        AssertNoSeqScan(plan);
        Assert.Contains("pk_party_last_numbers", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleasingABinding_FindsItsReservationsByKey()
    {
        await using var connection = await OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN " + NumberSelectionSql.Release, connection);
        explain.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = new[] { Guid.NewGuid() } });
        var plan = await ReadPlanAsync(explain);

        AssertNoSeqScan(plan);
        Assert.Contains("pk_number_reservations", plan, StringComparison.Ordinal);
    }

    private async Task<string> ExplainAsync(string sql, string? city)
    {
        await using var connection = await OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql, connection);
        explain.Parameters.AddWithValue("pool", Pool);
        explain.Parameters.AddWithValue("max", 200);
        explain.Parameters.Add(new NpgsqlParameter("a", NpgsqlDbType.Bytea) { Value = System.Security.Cryptography.MD5.HashData("a7"u8.ToArray()) }); // a party with 3 open bindings
        explain.Parameters.Add(new NpgsqlParameter("b", NpgsqlDbType.Bytea) { Value = System.Security.Cryptography.MD5.HashData("b-new"u8.ToArray()) });
        explain.Parameters.Add(new NpgsqlParameter("parties", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = new[] { (byte[])explain.Parameters["a"].Value!, (byte[])explain.Parameters["b"].Value! } });
        explain.Parameters.AddWithValue("limit", 5);
        if (city is not null)
        {
            explain.Parameters.AddWithValue("city", city);
        }

        return await ReadPlanAsync(explain);
    }

    private static async Task<string> ReadPlanAsync(NpgsqlCommand explain)
    {
        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private static void AssertNoSeqScan(string plan)
    {
        foreach (var table in new[] { "pool_numbers", "number_reservations", "party_last_numbers" })
        {
            Assert.False(plan.Contains($"Seq Scan on {table}", StringComparison.Ordinal), $"sequential scan of {table}:\n{plan}");
        }
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
