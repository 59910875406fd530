// Receipt ingestion (docs/operations.md, 'Receipts'): the real service on Kestrel (real HTTP, a fresh database migrated
// with the service's own migrations), and P concurrent pushers each POSTing B batches of M SecretReport messages to
// /v1/provider-receipts/SecretReport, as the provider's HTTP push does. Prints messages/s and the acknowledgement latency
// (p50, p99, max) of each batch, then how long the processor took to work off the inbox.
//
//   BINDINGSERVICE_BENCH_POSTGRES="Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres" \
//   BINDINGSERVICE_BENCH_RABBITMQ="amqp://guest:guest@127.0.0.1:5672/" \
//     dotnet run -c Release --project bench/Receipts -- [--pushers 8] [--batch 100] [--batches 40] [--warmup 5] [--smoke]
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

var smoke = args.Contains("--smoke"); // a tiny run: does the bench still work (no figures to keep)
var pushers = Arg("--pushers", smoke ? 2 : 8);
var batchSize = Arg("--batch", smoke ? 20 : 100);
var batches = Arg("--batches", smoke ? 3 : 40);
var warmup = Arg("--warmup", smoke ? 1 : 5);
// --rate N: open loop at N messages/s in all (each pusher sends on a schedule; a batch's latency counts from the
// moment it was due, so a late answer also delays what follows it). Without it: closed loop (each pusher sends its
// next batch when the last was answered), which measures the saturation rate, where latency is queueing by design.
var rate = Arg("--rate", 0);
var admin = Environment.GetEnvironmentVariable("BINDINGSERVICE_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("BINDINGSERVICE_TEST_POSTGRES");
var rabbit = new Uri(Environment.GetEnvironmentVariable("BINDINGSERVICE_BENCH_RABBITMQ") ?? Environment.GetEnvironmentVariable("BINDINGSERVICE_TEST_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/");
if (string.IsNullOrWhiteSpace(admin))
{
    Console.Error.WriteLine("Set BINDINGSERVICE_BENCH_POSTGRES to a PostgreSQL connection string allowed to create databases.");
    return 2;
}

const string Secret = "bench-secret";
var database = $"bs_bench_rc_{Guid.NewGuid():N}";
await Exec(admin, $"CREATE DATABASE \"{database}\"");
var cs = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
try
{
    var settings = new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = cs,
        ["RabbitMq:Host"] = rabbit.Host,
        ["RabbitMq:Port"] = rabbit.Port.ToString(CultureInfo.InvariantCulture),
        ["RabbitMq:Username"] = Uri.UnescapeDataString(rabbit.UserInfo.Split(':')[0]),
        ["RabbitMq:Password"] = Uri.UnescapeDataString(rabbit.UserInfo.Split(':').ElementAtOrDefault(1) ?? string.Empty),
        ["Aliyun:Endpoint"] = "http://127.0.0.1:9/",
        ["Aliyun:AccessKeyId"] = "bench",
        ["Aliyun:AccessKeySecret"] = "bench",
        ["Aliyun:PoolKey"] = "FCBENCH000000001",
        ["Aliyun:Dytnsapi:Endpoint"] = "http://127.0.0.1:9/",
        ["Security:PhoneEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Security:PhoneHashKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Database:MigrateOnStartup"] = "true",
        ["Jobs:Reconciler:Enabled"] = "false",
        ["Receipts:Secret"] = Secret,

        // The receiver is anonymous, but the service does not start without a token issuer to trust: a throwaway key.
        ["Authentication:Issuer"] = "https://bench.bindingservice.invalid",
        ["Authentication:SigningKeys"] = ThrowawayKeySet(),
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };
    // The service's content root is its output here (appsettings.json is copied beside the bench).
    Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BINDINGSERVICE_API", AppContext.BaseDirectory);
    await using var factory = new ServiceFactory(settings);
    factory.UseKestrel(0);
    factory.StartServer();
    using var http = factory.CreateClient();
    Console.WriteLine($"Service on {http.BaseAddress}; {pushers} pushers x {batches} batches x {batchSize} messages (after {warmup} warm-up batches each), "
        + (rate > 0 ? $"open loop at {rate:N0} messages/s" : "closed loop"));

    var url = $"/v1/provider-receipts/SecretReport?token={Secret}";
    var callSeq = 0L;
    string Batch()
    {
        var body = new StringBuilder("[");
        for (var i = 0; i < batchSize; i++)
        {
            var id = Interlocked.Increment(ref callSeq);
            body.Append(i == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $$"""
                {"pool_key":"FCBENCH000000001","sub_id":"{{id}}","call_id":"bench-{{id}}","phone_no":"138{{id % 100_000_000:D8}}","secret_no":"17100000001",
                "peer_no":"139{{id % 100_000_000:D8}}","call_type":0,"call_time":"2026-11-23 10:00:00","start_time":"2026-11-23 10:00:05",
                "release_time":"2026-11-23 10:00:35","release_dir":1,"release_cause":16,"unconnected_cause":0,"out_id":"","id":"{{id}}"}
                """);
        }

        return body.Append(']').ToString();
    }

    async Task<double> PushAsync(long? due = null)
    {
        using var content = new StringContent(Batch(), Encoding.UTF8, "application/json");
        var started = due ?? Stopwatch.GetTimestamp();
        using var response = await http.PostAsync(url, content);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || text != """{"code":0,"msg":"接收成功"}""")
        {
            throw new InvalidOperationException($"Not acknowledged: {(int)response.StatusCode} {text}");
        }

        return elapsed;
    }

    await Task.WhenAll(Enumerable.Range(0, pushers).Select(async _ =>
    {
        for (var i = 0; i < warmup; i++)
        {
            await PushAsync();
        }
    }));

    var latencies = new List<double>();
    var wall = Stopwatch.StartNew();
    var interval = rate > 0 ? TimeSpan.FromSeconds((double)pushers * batchSize / rate) : TimeSpan.Zero;
    var origin = Stopwatch.GetTimestamp();
    var results = await Task.WhenAll(Enumerable.Range(0, pushers).Select(async pusher =>
    {
        var mine = new List<double>(batches);
        for (var i = 0; i < batches; i++)
        {
            if (rate <= 0)
            {
                mine.Add(await PushAsync());
                continue;
            }

            // Pushers are spread evenly over one interval; batch i of a pusher is due i intervals after its start.
            var due = origin + (long)((pusher * interval.TotalSeconds / pushers + i * interval.TotalSeconds) * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            mine.Add(await PushAsync(due));
        }

        return mine;
    }));
    wall.Stop();
    latencies.AddRange(results.SelectMany(r => r));
    latencies.Sort();
    var messages = (long)pushers * batches * batchSize;
    Console.WriteLine($"Ingested {messages:N0} messages in {wall.Elapsed.TotalSeconds:F2} s: {messages / wall.Elapsed.TotalSeconds:N0} messages/s");
    Console.WriteLine($"Acknowledgement latency per {batchSize}-message batch: p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms");

    var drain = Stopwatch.StartNew();
    while (await Scalar(cs, "SELECT count(*) FROM receipt_inbox WHERE status = 'Pending'") > 0 && drain.Elapsed < TimeSpan.FromMinutes(5))
    {
        await Task.Delay(100);
    }

    var total = await Scalar(cs, "SELECT count(*) FROM receipt_inbox");
    Console.WriteLine($"Processor worked off the inbox ({total:N0} rows, warm-up included) {drain.Elapsed.TotalSeconds:F1} s after the last acknowledgement");
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await Exec(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
}

return 0;

static string ThrowawayKeySet()
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var q = key.ExportParameters(false).Q;
    return $$"""{"keys":[{"kty":"EC","crv":"P-256","kid":"bench","use":"sig","alg":"ES256","x":"{{System.Buffers.Text.Base64Url.EncodeToString(q.X)}}","y":"{{System.Buffers.Text.Base64Url.EncodeToString(q.Y)}}"}]}""";
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

static async Task Exec(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

static async Task<long> Scalar(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>The service's real Program with the bench's settings.</summary>
internal sealed class ServiceFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<BindingService.Api.Infrastructure.CallerContext>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Production's configuration (no appsettings.Development.json), without the production guards, which refuse the
        // local broker's guest account: the test suite's "Testing" environment.
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
