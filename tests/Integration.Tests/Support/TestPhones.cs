using System.Collections.Concurrent;

namespace BindingService.Integration.Tests.Support;

/// <summary>Unique mobile numbers for tests; every number handed out is remembered for the privacy scans.</summary>
public static class TestPhones
{
    private static readonly ConcurrentDictionary<string, byte> Issued = new();
    private static int _next = Random.Shared.Next(0, 1_000_000);

    public static IReadOnlyCollection<string> All => Issued.Keys.ToList();

    public static string Next()
    {
        var n = Interlocked.Increment(ref _next) % 100_000_000;
        var number = $"159{n:D8}";
        Issued.TryAdd(number, 0);
        return number;
    }
}
