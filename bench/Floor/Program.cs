using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BindingService.Bench.Floor;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

// The resident-set floor of the service's libraries (docs/performance.md, "Round 11").
//   dotnet run -c Release --project bench/Floor [-- --requests 20000 --warmup 2000 --port 5391 --configs "base;serilog;serilog,auth;…"]
// needs a PostgreSQL and a RabbitMQ: FLOOR_POSTGRES / FLOOR_RABBITMQ, or the test settings BINDINGSERVICE_TEST_POSTGRES
// (database bs_floor is dropped and created) / BINDINGSERVICE_TEST_RABBITMQ, as scripts/lib/local-servers.sh prints them.
if (args.Length > 0 && args[0] == "serve")
{
    return await Serve.RunAsync(int.Parse(Option("--port", "5391"), CultureInfo.InvariantCulture), Option("--with", "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet());
}

var requests = int.Parse(Option("--requests", "20000"), CultureInfo.InvariantCulture);
var warmup = int.Parse(Option("--warmup", "2000"), CultureInfo.InvariantCulture);
var configs = Option("--configs", "base;serilog;serilog,auth;serilog,auth,http;serilog,auth,http,ef;serilog,auth,http,ef,mt;serilog,auth,http,ef,mt,otel")
    .Split(';', StringSplitOptions.RemoveEmptyEntries);
var postgres = Environment.GetEnvironmentVariable("FLOOR_POSTGRES")
    ?? (Environment.GetEnvironmentVariable("BINDINGSERVICE_TEST_POSTGRES") is { } test
        ? new NpgsqlConnectionStringBuilder(test) { Database = "bs_floor" }.ConnectionString
        : null);
var rabbit = Environment.GetEnvironmentVariable("FLOOR_RABBITMQ") ?? Environment.GetEnvironmentVariable("BINDINGSERVICE_TEST_RABBITMQ");
var port = int.Parse(Option("--port", "5391"), CultureInfo.InvariantCulture);

Console.WriteLine($"floor: {warmup} warm-up protects at 8 clients, then {requests / 10} at 1, {requests} at 8, {requests / 4} at 32; resident set as the load left it, and after a full collection and malloc_trim");
Console.WriteLine("parts | protects/s at 8 | failed | log lines/req | RSS MB as left | RSS MB after | anonymous / file-backed / shared MB after | assemblies | JIT-compiled methods | GC committed / live MB after");
var failedRuns = 0;
foreach (var config in configs)
{
    var parts = config.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "base").ToArray();
    if ((parts.Contains("ef") && postgres is null) || (parts.Contains("mt") && rabbit is null))
    {
        Console.WriteLine($"{config} | skipped: no PostgreSQL or RabbitMQ configured");
        continue;
    }

    if (parts.Contains("ef"))
    {
        using var create = Process.Start(ServeStart("ef,create")) ?? throw new InvalidOperationException("could not create the floor's schema");
        var output = create.StandardOutput.ReadToEndAsync();
        var error = create.StandardError.ReadToEndAsync();
        await create.WaitForExitAsync();
        if (create.ExitCode != 0)
        {
            Console.WriteLine($"{config} | failed: the schema was not created ({create.ExitCode}): {await output}{await error}");
            failedRuns++;
            continue;
        }
    }

    using var serve = Process.Start(ServeStart(string.Join(',', parts))) ?? throw new InvalidOperationException("could not start the floor service");
    long lines = 0;
    var errors = new System.Text.StringBuilder();
    serve.OutputDataReceived += (_, e) => { if (e.Data is not null) Interlocked.Increment(ref lines); };
    serve.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
    serve.BeginOutputReadLine();
    serve.BeginErrorReadLine();
    try
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        await WaitHealthyAsync(client, serve, errors);
        var failed = await LoadAsync(client, warmup, 8);
        await SettledAsync(() => Interlocked.Read(ref lines)); // a request's line is written after its response
        Interlocked.Exchange(ref lines, 0);
        failed += await LoadAsync(client, requests / 10, 1);
        var clock = Stopwatch.StartNew();
        failed += await LoadAsync(client, requests, 8);
        var rate = requests / clock.Elapsed.TotalSeconds;
        failed += await LoadAsync(client, requests / 4, 32);
        var measured = requests / 10 + requests + requests / 4;
        var perRequest = await SettledAsync(() => Interlocked.Read(ref lines)) / (double)measured;
        await Task.Delay(500);
        var asLeft = Status(serve.Id)["VmRSS"];
        using var trim = await client.PostAsync("trim", null);
        var stats = await trim.Content.ReadFromJsonAsync<FloorStats>();
        await Task.Delay(500);
        var status = Status(serve.Id);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{config} | {rate,6:F0} | {failed} | {perRequest:F2} | {asLeft,4:F0} | {status["VmRSS"],4:F0} | {status["RssAnon"]:F0} / {status["RssFile"]:F0} / {status["RssShmem"]:F0} | {stats!.Assemblies} | {stats.JitCompiledMethods} | {stats.GcCommittedMb:F1} / {stats.GcLiveMb:F1}"));
        failedRuns += failed > 0 ? 1 : 0;
    }
    catch (Exception ex)
    {
        Console.WriteLine($"{config} | failed: {ex.Message}");
        Console.WriteLine(errors.ToString());
        failedRuns++;
    }
    finally
    {
        serve.Kill(entireProcessTree: true);
        await serve.WaitForExitAsync();
    }
}

return failedRuns == 0 ? 0 : 1;

ProcessStartInfo ServeStart(string with)
{
    var start = new ProcessStartInfo("dotnet")
    {
        UseShellExecute = false,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    foreach (var arg in new[] { typeof(Serve).Assembly.Location, "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--with", with })
    {
        start.ArgumentList.Add(arg);
    }

    start.Environment["FLOOR_POSTGRES"] = postgres ?? "";
    start.Environment["FLOOR_RABBITMQ"] = rabbit ?? "";
    start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    return start;
}

// The count once it has not moved for 300 ms (the service's output is read as it comes).
static async Task<long> SettledAsync(Func<long> count)
{
    var last = count();
    while (true)
    {
        await Task.Delay(300);
        var now = count();
        if (now == last)
        {
            return now;
        }

        last = now;
    }
}

// The resident set and its parts in MB, from /proc/<pid>/status.
static Dictionary<string, double> Status(int pid) => File.ReadAllLines($"/proc/{pid}/status")
    .Select(l => l.Split(':', 2))
    .Where(p => p[0] is "VmRSS" or "RssAnon" or "RssFile" or "RssShmem")
    .ToDictionary(p => p[0], p => long.Parse(p[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0);

static string Option(string name, string fallback)
{
    var args = Environment.GetCommandLineArgs();
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

static string Token() => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
{
    Issuer = Tokens.Issuer,
    Audience = Tokens.Audience,
    Expires = DateTime.UtcNow.AddHours(2),
    SigningCredentials = new SigningCredentials(Tokens.Key, SecurityAlgorithms.HmacSha256),
});

static async Task WaitHealthyAsync(HttpClient client, Process serve, System.Text.StringBuilder errors)
{
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromSeconds(90))
    {
        if (serve.HasExited)
        {
            throw new InvalidOperationException($"the floor service exited ({serve.ExitCode}): {errors}");
        }

        try
        {
            using var response = await client.GetAsync("health");
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }

        await Task.Delay(200);
    }

    throw new TimeoutException("the floor service did not become healthy in 90 s");
}

static async Task<int> LoadAsync(HttpClient client, int count, int clients)
{
    var next = -1;
    var failed = 0;
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var body = new ProtectRequest($"floor-{Environment.ProcessId}-{i}-{Guid.NewGuid():N}", "13800138000", "13900139000");
            using var response = await client.PostAsJsonAsync("protect", body);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failed);
            }
        }
    }));
    return failed;
}
