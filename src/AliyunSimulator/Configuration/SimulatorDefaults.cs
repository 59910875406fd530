using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Configuration;

/// <summary>What the simulator runs with when nothing is configured, and the start-up validation of the options.</summary>
public static class SimulatorDefaults
{
    public const string AccessKeyId = "simulator-access-key";
    public const string AccessKeySecret = "simulator-access-secret";
    public const string PoolKey = "FC100000000000001";
    public const string AxnPoolKey = "FC100000000000002";
    public const string AxnExtensionPoolKey = "FC100000000000003";
    public const string AxgPoolKey = "FC100000000000004";

    /// <summary>The default AXB pool: 17000000001..17000000020 over 北京, 上海, 杭州 in turn.</summary>
    public static PoolOptions DefaultPool() => new()
    {
        PoolKey = PoolKey,
        Product = "AXB",
        StrictCityMatch = false,
        Generate = new NumberGenerationOptions { Start = "17000000001", Count = 20, Cities = ["北京", "上海", "杭州"] },
    };

    /// <summary>
    /// The default pools of the other products, so every binding action works with no configuration: AXN
    /// 17100000001..10, AXN extension 17200000001..05, AXG 17300000001..10, cities 北京, 上海, 杭州 in turn.
    /// </summary>
    public static IEnumerable<PoolOptions> DefaultProductPools() =>
    [
        ProductPool(AxnPoolKey, "AXN", "17100000001", 10),
        ProductPool(AxnExtensionPoolKey, "AXN_EXTENSION", "17200000001", 5),
        ProductPool(AxgPoolKey, "AXG", "17300000001", 10),
    ];

    private static PoolOptions ProductPool(string poolKey, string product, string start, int count) => new()
    {
        PoolKey = poolKey,
        Product = product,
        StrictCityMatch = false,
        Generate = new NumberGenerationOptions { Start = start, Count = count, Cities = ["北京", "上海", "杭州"] },
    };

    /// <summary>Fills the lists left unconfigured (the binder appends to initialised lists, so defaults cannot live in the initialisers).</summary>
    internal static void Apply(SimulatorOptions options)
    {
        if (options.Accounts.Count == 0)
        {
            options.Accounts.Add(new AccountOptions { AccessKeyId = AccessKeyId, AccessKeySecret = AccessKeySecret });
        }

        if (options.Pools.Count == 0)
        {
            options.Pools.Add(DefaultPool());
            options.Pools.AddRange(DefaultProductPools());
        }
    }
}

/// <summary>Refuses to start on options that would make the simulator misbehave, naming the offending key.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        foreach (var (account, i) in options.Accounts.Select((a, i) => (a, i)))
        {
            if (string.IsNullOrWhiteSpace(account.AccessKeyId) || string.IsNullOrEmpty(account.AccessKeySecret))
            {
                failures.Add($"Simulator:Accounts:{i} needs AccessKeyId and AccessKeySecret.");
            }
        }

        foreach (var duplicate in options.Accounts.GroupBy(a => a.AccessKeyId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"Simulator:Accounts lists AccessKeyId '{duplicate.Key}' more than once.");
        }

        if (options.TimestampToleranceMinutes < 1)
        {
            failures.Add("Simulator:TimestampToleranceMinutes must be at least 1.");
        }

        if (options.NonceWindowMinutes < 1)
        {
            failures.Add("Simulator:NonceWindowMinutes must be at least 1.");
        }

        if (options.ChinaUtcOffsetHours is < -14 or > 14)
        {
            failures.Add("Simulator:ChinaUtcOffsetHours must be between -14 and 14.");
        }

        if (options.MaxAxbPairsPerX < 1)
        {
            failures.Add("Simulator:MaxAxbPairsPerX must be at least 1.");
        }

        foreach (var (code, status) in options.BusinessErrorHttpStatus)
        {
            if (status is < 200 or > 599)
            {
                failures.Add($"Simulator:BusinessErrorHttpStatus:{code} must be an HTTP status (200-599).");
            }
        }

        var seenNumbers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (pool, i) in options.Pools.Select((p, i) => (p, i)))
        {
            if (string.IsNullOrWhiteSpace(pool.PoolKey))
            {
                failures.Add($"Simulator:Pools:{i}:PoolKey is required.");
            }

            if (pool.Generate is { } g && (g.Count < 0 || (g.Count > 0 && (!IsDigits(g.Start) || g.Start.Length > 18 || g.Cities.Count == 0))))
            {
                failures.Add($"Simulator:Pools:{i}:Generate needs a digits-only Start (at most 18 digits), a Count >= 0 and at least one City.");
                continue;
            }

            foreach (var number in PoolNumbers.Expand(pool))
            {
                if (!IsDigits(number.SecretNo))
                {
                    failures.Add($"Simulator:Pools:{i} has a number that is not digits only.");
                }
                else if (!seenNumbers.Add(number.SecretNo))
                {
                    failures.Add($"Simulator:Pools:{i} repeats number {number.SecretNo} (a number belongs to one pool, once).");
                }
            }
        }

        foreach (var duplicate in options.Pools.GroupBy(p => p.PoolKey, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"Simulator:Pools lists PoolKey '{duplicate.Key}' more than once.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsDigits(string? value) => !string.IsNullOrEmpty(value) && value.All(char.IsAsciiDigit);
}

/// <summary>The numbers a pool's configuration describes: the explicit list, then the generated run.</summary>
internal static class PoolNumbers
{
    public static IEnumerable<NumberOptions> Expand(PoolOptions pool)
    {
        foreach (var number in pool.Numbers)
        {
            yield return number;
        }

        if (pool.Generate is not { Count: > 0 } g)
        {
            yield break;
        }

        var start = ulong.Parse(g.Start, System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < g.Count; i++)
        {
            var secretNo = (start + (ulong)i).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(g.Start.Length, '0');
            yield return new NumberOptions { SecretNo = secretNo, City = g.Cities[i % g.Cities.Count] };
        }
    }
}
