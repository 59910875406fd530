namespace BindingService.AliyunSimulator.Tests.Support;

/// <summary>Distinct, valid-looking mobile numbers for parties A and B.</summary>
public static class TestPhones
{
    private static int next = 10_000_000;

    public static string Next() => "138" + Interlocked.Increment(ref next).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
}
