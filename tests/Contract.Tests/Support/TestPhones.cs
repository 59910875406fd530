using System.Globalization;

namespace BindingService.Contract.Tests.Support;

/// <summary>
/// Distinct valid mobile numbers for parties A, B, N and group members: 186 plus eight digits, never in a pool or
/// in the simulator's stock (17x, 133…, 158…, 95…), and never the same twice in a run.
/// </summary>
public static class TestPhones
{
    private static int next = 30_000_000;

    public static string Next() => "186" + Interlocked.Increment(ref next).ToString("D8", CultureInfo.InvariantCulture);
}
