using BindingService.AliyunSimulator.Configuration;

namespace BindingService.AliyunSimulator.State;

/// <summary>
/// The number inventory (docs/provider-rules.md, 'Number inventory'): the stock on sale per SpecId and city, purchases into a pool, release,
/// and the configured numbers' attributes. Set up once at start by <see cref="NumberInventorySeeder"/>.
/// </summary>
public sealed partial class SimulatorState
{
    private readonly List<StockNumber> stock = [];
    private readonly Dictionary<string, List<SecretNumber>> configuredNumbers = new(StringComparer.Ordinal);
    private IReadOnlyList<StockOptions> stockSettings = [];
    private bool numbersSeeded;

    /// <summary>The numbers on sale, in configuration order (bought ones are gone).</summary>
    public IReadOnlyList<StockNumber> Stock => stock;

    /// <summary>
    /// Gives the configured numbers their attributes (SpecId from the number's shape, the province of its city,
    /// Vendor 1, <paramref name="certifyStatus"/>, bought at <paramref name="now"/>), remembers them for a reset,
    /// and fills the stock. Only the first call does anything.
    /// </summary>
    internal void SeedNumbers(IReadOnlyList<StockOptions> stockOptions, int certifyStatus, DateTimeOffset now)
    {
        if (numbersSeeded)
        {
            return;
        }

        numbersSeeded = true;

        foreach (var pool in pools.Values)
        {
            foreach (var number in pool.Numbers.Where(n => n.PurchaseTime is null))
            {
                number.SpecId = NumberDefaults.SpecIdOf(number.SecretNo);
                number.Province = NumberDefaults.ProvinceOf(number.City);
                number.CertifyStatus = certifyStatus;
                number.PurchaseTime = now;
            }

            configuredNumbers[pool.PoolKey] = [.. pool.Numbers];
        }

        stockSettings = stockOptions;
        RefillStock();
    }

    /// <summary>SecretStatus of a number (R-NUM-5): frozen > locked > bound (an active binding on it) > unbound.</summary>
    public long SecretStatusOf(SecretNumber number, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(number);
        return number.StatusWith(ActiveBindingsOn(number.SecretNo, now).Count);
    }

    /// <summary>The number when it belongs to <paramref name="poolKey"/>; null otherwise (unknown, released, or in another pool).</summary>
    public SecretNumber? FindNumber(string poolKey, string secretNo) =>
        numbers.TryGetValue(secretNo, out var number) && string.Equals(number.PoolKey, poolKey, StringComparison.Ordinal) ? number : null;

    /// <summary>
    /// Takes the first number on sale for <paramref name="specId"/> in <paramref name="city"/> that starts with
    /// <paramref name="prefix"/> (R-NUM-4), and adds it to the pool, unbound, bought at <paramref name="now"/>.
    /// Null when nothing matches.
    /// </summary>
    public SecretNumber? Buy(Pool pool, long specId, string city, string? prefix, int certifyStatus, bool displayPool, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var index = stock.FindIndex(s => s.Matches(specId, city, prefix));
        if (index < 0)
        {
            return null;
        }

        var onSale = stock[index];
        stock.RemoveAt(index);
        var number = new SecretNumber(onSale.SecretNo, pool.PoolKey, onSale.City, locked: false, frozen: false)
        {
            SpecId = onSale.SpecId,
            Vendor = onSale.Vendor,
            Province = onSale.Province,
            PurchaseTime = now,
            CertifyStatus = certifyStatus,
            DisplayPool = displayPool,
            Configured = false,
        };
        pools[pool.PoolKey].Numbers.Add(number);
        numbers.Add(number.SecretNo, number);
        return number;
    }

    /// <summary>Removes the number from its pool (R-NUM-7): it is gone, and not back on sale. The caller checks bindings first.</summary>
    public void Release(SecretNumber number)
    {
        ArgumentNullException.ThrowIfNull(number);
        pools[number.PoolKey].Numbers.Remove(number);
        numbers.Remove(number.SecretNo);
    }

    partial void ResetNumberExtras()
    {
        // Bought numbers go, released configured ones come back, in configuration order (the seeded selection depends on it).
        foreach (var (poolKey, configured) in configuredNumbers)
        {
            var pool = pools[poolKey];
            foreach (var number in pool.Numbers)
            {
                numbers.Remove(number.SecretNo);
            }

            pool.Numbers.Clear();
            pool.Numbers.AddRange(configured);
            foreach (var number in configured)
            {
                numbers[number.SecretNo] = number;
                number.Restore();
            }
        }

        RefillStock();
        ResetBlacklists();
        ResetCallRecords();
        ResetEncryption();
    }

    private void RefillStock()
    {
        stock.Clear();
        foreach (var entry in stockSettings)
        {
            // A number already in a pool (configured, e.g. over the default stock) is not on sale.
            stock.AddRange(NumberDefaults.Expand(entry)
                .Where(n => !numbers.ContainsKey(n))
                .Select(n => new StockNumber(n, entry.SpecId, entry.City, entry.Province, entry.Vendor)));
        }
    }
}

/// <summary>A number on sale (R-NUM-3): its SpecId, home city, province and carrier.</summary>
public sealed record StockNumber(string SecretNo, long SpecId, string City, string Province, long Vendor)
{
    /// <summary>Same SpecId, same city (any city when <paramref name="city"/> is null), and starting with the prefix if one is given.</summary>
    public bool Matches(long specId, string? city, string? prefix) =>
        SpecId == specId
        && (city is null || string.Equals(City, city, StringComparison.Ordinal))
        && (prefix is null || SecretNo.StartsWith(prefix, StringComparison.Ordinal));
}
