// Local number selection at scale (ADR 0003, docs/decisions/0003-local-number-selection.md): loads N numbers and M open AXB bindings (2M
// reservation rows) into a fresh database migrated with the service's own migrations, then times the exact queries
// LocalNumberSelector runs and prints their EXPLAIN (ANALYZE, BUFFERS) plans.
//
//   BINDINGSERVICE_BENCH_POSTGRES="Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres" \
//     dotnet run -c Release --project bench/NumberSelection -- [--numbers 10000] [--bindings 1000000] [--runs 2000] [--keep]
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using BindingService.Infrastructure.Messaging;
using BindingService.Infrastructure.Numbers;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

const string Pool = "FCBENCH000000001";
const int Cities = 30;

var numbers = Arg("--numbers", 10_000);
var bindings = Arg("--bindings", 1_000_000);
var runs = Arg("--runs", 2_000);
var keep = args.Contains("--keep");
var admin = Environment.GetEnvironmentVariable("BINDINGSERVICE_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("BINDINGSERVICE_TEST_POSTGRES");
if (string.IsNullOrWhiteSpace(admin))
{
    Console.Error.WriteLine("Set BINDINGSERVICE_BENCH_POSTGRES to a PostgreSQL connection string allowed to create databases.");
    return 2;
}

var database = $"bs_bench_{Guid.NewGuid():N}";
await Exec(admin, $"CREATE DATABASE \"{database}\"");
var cs = new NpgsqlConnectionStringBuilder(admin) { Database = database, CommandTimeout = 0 }.ConnectionString;
try
{
    var total = Stopwatch.StartNew();
    await MigrateAsync(cs);
    Console.WriteLine($"Migrated {database} in {total.Elapsed.TotalSeconds:F1} s");

    var load = Stopwatch.StartNew();
    await Exec(cs, $"""
        INSERT INTO pool_numbers (pool_key, secret_no, city, state, active_pairs, updated_at)
        SELECT '{Pool}', (17100000000 + g)::text, 'city-' || (g % {Cities}),
               CASE WHEN g % 33 = 0 THEN 'Locked' WHEN g % 101 = 0 THEN 'Frozen' WHEN g % 211 = 0 THEN 'Unhealthy' ELSE 'Available' END,
               0, now()
        FROM generate_series(0, {numbers - 1}) AS g;

        CREATE TEMP TABLE open_bindings AS
        SELECT gen_random_uuid() AS id, (17100000000 + (b % {numbers}))::text AS x,
               decode(md5('a' || (b % 199999)), 'hex') AS a, decode(md5('b' || (b % 99991)), 'hex') AS b
        FROM generate_series(0, {bindings - 1}) AS b;

        INSERT INTO number_reservations (binding_id, party_role, pool_key, secret_no, party_hash, created_at)
        SELECT id, 'A', '{Pool}', x, a, now() FROM open_bindings
        UNION ALL
        SELECT id, 'B', '{Pool}', x, b, now() FROM open_bindings;

        UPDATE pool_numbers p SET active_pairs = c.n FROM (SELECT x, count(*)::int AS n FROM open_bindings GROUP BY x) c
        WHERE p.pool_key = '{Pool}' AND p.secret_no = c.x;

        INSERT INTO party_last_numbers (pool_key, party_hash, secret_no, used_at)
        SELECT DISTINCT ON (a) '{Pool}', a, x, now() FROM open_bindings ORDER BY a;
        """);
    foreach (var table in new[] { "pool_numbers", "number_reservations", "party_last_numbers" })
    {
        await Exec(cs, $"VACUUM ANALYZE {table}"); // VACUUM runs alone, outside any transaction
    }
    var reservations = await Scalar<long>(cs, "SELECT count(*) FROM number_reservations");
    Console.WriteLine($"Loaded {numbers:N0} numbers in {Cities} cities, {bindings:N0} open bindings = {reservations:N0} reservation rows in {load.Elapsed.TotalSeconds:F1} s");
    Console.WriteLine(await Scalar<string>(cs, "SELECT 'pool_numbers ' || pg_size_pretty(pg_total_relation_size('pool_numbers')) || ', number_reservations ' || pg_size_pretty(pg_total_relation_size('number_reservations'))"));
    Console.WriteLine();

    await using var connection = new NpgsqlConnection(cs);
    await connection.OpenAsync();
    var random = new Random(42);

    // A hot passenger with open bindings (about 2.5 each), a driver new to the pool, a random city.
    NpgsqlCommand Query(string sql, bool city)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("pool", Pool);
        command.Parameters.AddWithValue("max", 200);
        command.Parameters.Add(new NpgsqlParameter("a", NpgsqlDbType.Bytea) { Value = MD5.HashData(System.Text.Encoding.ASCII.GetBytes("a" + random.Next(199_999).ToString(CultureInfo.InvariantCulture))) });
        command.Parameters.Add(new NpgsqlParameter("b", NpgsqlDbType.Bytea) { Value = RandomNumberGenerator.GetBytes(16) });
        command.Parameters.Add(new NpgsqlParameter("parties", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = new[] { (byte[])command.Parameters["a"].Value!, (byte[])command.Parameters["b"].Value! } });
        command.Parameters.AddWithValue("limit", 5);
        if (city)
        {
            command.Parameters.AddWithValue("city", "city-" + random.Next(Cities).ToString(CultureInfo.InvariantCulture));
        }

        return command;
    }

    async Task TimeAsync(string name, Func<Task> once)
    {
        for (var i = 0; i < 50; i++)
        {
            await once(); // warm-up
        }

        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await once();
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(samples);
        Console.WriteLine($"{name,-34} n={runs}  p50={P(samples, 0.50):F3} ms  p95={P(samples, 0.95):F3} ms  p99={P(samples, 0.99):F3} ms  max={samples[^1]:F3} ms");
    }

    async Task ReadAll(NpgsqlCommand command)
    {
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
            }
        }
    }

    await TimeAsync("PickInCity (ExpectCity)", () => ReadAll(Query(NumberSelectionSql.PickInCity, city: true)));
    await TimeAsync("PickAny (no city / last resort)", () => ReadAll(Query(NumberSelectionSql.PickAny, city: false)));
    await TimeAsync("PickSticky", () => ReadAll(Query(NumberSelectionSql.PickSticky, city: false)));
    await TimeAsync("Pick + Reserve + Release (rolled back)", async () =>
    {
        await using var transaction = await connection.BeginTransactionAsync();
        string? x = null;
        byte[] a, b;
        await using (var pick = Query(NumberSelectionSql.PickInCity, city: true))
        {
            a = (byte[])pick.Parameters["a"].Value!;
            b = (byte[])pick.Parameters["b"].Value!;
            await using var reader = await pick.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                x = reader.GetString(0);
            }
        }

        var binding = Guid.NewGuid();
        await using (var reserve = new NpgsqlCommand(NumberSelectionSql.Reserve, connection))
        {
            reserve.Parameters.AddWithValue("pool", Pool);
            reserve.Parameters.AddWithValue("x", x!);
            reserve.Parameters.AddWithValue("max", 200);
            reserve.Parameters.AddWithValue("binding", binding);
            reserve.Parameters.Add(new NpgsqlParameter("a", NpgsqlDbType.Bytea) { Value = a });
            reserve.Parameters.Add(new NpgsqlParameter("b", NpgsqlDbType.Bytea) { Value = b });
            reserve.Parameters.AddWithValue("now", DateTimeOffset.UtcNow);
            await reserve.ExecuteNonQueryAsync();
        }

        await using (var release = new NpgsqlCommand(NumberSelectionSql.Release, connection))
        {
            release.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = new[] { binding } });
            await release.ExecuteNonQueryAsync();
        }

        await transaction.RollbackAsync();
    });

    foreach (var (name, sql, city) in new[] { ("PickInCity", NumberSelectionSql.PickInCity, true), ("PickAny", NumberSelectionSql.PickAny, false), ("PickSticky", NumberSelectionSql.PickSticky, false) })
    {
        Console.WriteLine();
        Console.WriteLine($"EXPLAIN (ANALYZE, BUFFERS) {name}:");
        await using var explain = Query("EXPLAIN (ANALYZE, BUFFERS) " + sql, city);
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.WriteLine("  " + reader.GetString(0));
        }
    }

    return 0;
}
finally
{
    if (!keep)
    {
        NpgsqlConnection.ClearAllPools();
        await Exec(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }
    else
    {
        Console.WriteLine($"Kept database {database}");
    }
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

static async Task Exec(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    await command.ExecuteNonQueryAsync();
}

static async Task<T> Scalar<T>(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return (T)(await command.ExecuteScalarAsync())!;
}

static async Task MigrateAsync(string connectionString)
{
    // The service's own migrations, with throwaway keys (the schema does not depend on them).
    var options = new DbContextOptionsBuilder<BindingDbContext>()
        .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
        .UseSnakeCaseNamingConvention()
        .Options;
    var protector = new PhoneNumberProtector(Options.Create(new SecurityOptions
    {
        PhoneEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        PhoneHashKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    }));
    await using var db = BindingDbContext.Create(options, protector);
    await db.Database.MigrateAsync();
}
