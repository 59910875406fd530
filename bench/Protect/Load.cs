using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace BindingService.Bench.Protect;

/// <summary>Closed-loop load: N clients, each sending its next request as soon as the previous one answered.</summary>
internal sealed class Load(HttpClient http, string runTag)
{
    private long _sequence;

    /// <summary>A fresh ride order id and a distinct pair of mainland mobile numbers.</summary>
    public (string OrderId, string Passenger, string Driver) NextRide()
    {
        var n = Interlocked.Increment(ref _sequence);
        return ($"{runTag}-{n}", $"138{n % 100_000_000:D8}", $"139{n % 100_000_000:D8}");
    }

    public Task<HttpResponseMessage> ProtectAsync(string orderId, string passenger, string driver) =>
        http.PutAsJsonAsync($"v1/ride-orders/{orderId}/protection", new { passengerPhone = passenger, driverPhone = driver, city = "北京" });

    /// <summary>One protect with a new order id; true when it was created (201).</summary>
    public async Task<bool> ProtectOnceAsync()
    {
        var (order, a, b) = NextRide();
        using var response = await ProtectAsync(order, a, b);
        return response.StatusCode == HttpStatusCode.Created;
    }

    /// <summary>
    /// Runs <paramref name="operation"/> in <paramref name="clients"/> loops until <paramref name="duration"/> has passed
    /// or <paramref name="maxOperations"/> were started; returns every latency (ms) of a success, the failures and the wall time.
    /// </summary>
    public static async Task<LoadResult> RunAsync(int clients, TimeSpan duration, long maxOperations, Func<Task<bool>> operation)
    {
        var latencies = new List<double>[clients];
        var failures = 0L;
        var started = 0L;
        var wall = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(4096);
            while (wall.Elapsed < duration && Interlocked.Increment(ref started) <= maxOperations)
            {
                var t = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await operation();
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                if (ok)
                {
                    mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        wall.Stop();
        return new LoadResult([.. latencies.SelectMany(l => l)], failures, wall.Elapsed);
    }
}

internal sealed record LoadResult(List<double> Latencies, long Failures, TimeSpan Wall)
{
    public double PerSecond => Latencies.Count / Wall.TotalSeconds;
}

internal static class Stats
{
    /// <summary>The nearest-rank percentile (0–100) of <paramref name="values"/>, NaN when empty.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
