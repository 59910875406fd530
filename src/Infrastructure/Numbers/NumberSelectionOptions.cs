using System.Globalization;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Numbers;

/// <summary>
/// Configuration section <c>Protection:NumberSelection</c>: how X is chosen, per pool (docs/decisions/0003-local-number-selection.md). Pools not
/// listed are in <see cref="NumberSelectionMode.Provider"/> mode (the provider picks X by ExpectCity).
/// </summary>
public sealed class NumberSelectionOptions
{
    public const string SectionName = "Protection:NumberSelection";

    /// <summary>Per pool key.</summary>
    public Dictionary<string, PoolSelectionOptions> Pools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often the inventory of local pools is synchronised with the provider (also once at start).</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Synchronise the inventory when the service starts.</summary>
    public bool SyncOnStart { get; set; } = true;

    /// <summary>The options of <paramref name="poolKey"/> when it is in local mode, else null.</summary>
    public PoolSelectionOptions? Local(string poolKey) =>
        Pools.TryGetValue(poolKey, out var pool) && pool.Mode == NumberSelectionMode.Local ? pool : null;
}

public enum NumberSelectionMode
{
    /// <summary>The provider picks X (PhoneNoX omitted, ExpectCity as a hint).</summary>
    Provider,

    /// <summary>We pick X from our inventory and pass it as PhoneNoX.</summary>
    Local,
}

public sealed class PoolSelectionOptions
{
    public NumberSelectionMode Mode { get; set; } = NumberSelectionMode.Provider;

    /// <summary>Cities tried in this order when the binding's ExpectCity has no free number (then any city).</summary>
    public List<string> FallbackCities { get; set; } = [];

    /// <summary>When the binding names a city and it has no free number, fail instead of falling back.</summary>
    public bool Strict { get; set; }

    /// <summary>A party gets the X it had last time when that X is free for the pair.</summary>
    public bool Sticky { get; set; }

    /// <summary>Active AXB pairs one X may carry (the provider's own limit is 200).</summary>
    public int MaxPairsPerNumber { get; set; } = 200;

    /// <summary>Numbers of the pool, listed one by one: synchronised from the provider with the ones we already hold.</summary>
    public List<string> Numbers { get; set; } = [];

    /// <summary>Runs of consecutive numbers of the pool, synchronised like <see cref="Numbers"/>.</summary>
    public List<NumberRangeOptions> Ranges { get; set; } = [];

    /// <summary>Every configured number: <see cref="Numbers"/>, then each range expanded.</summary>
    public IEnumerable<string> ConfiguredNumbers() => Numbers.Concat(Ranges.SelectMany(r => r.Expand())).Distinct(StringComparer.Ordinal);
}

/// <summary>
/// <see cref="Count"/> consecutive numbers from <see cref="Start"/> (digits; the length is kept, so the last number
/// must not need another digit: <see cref="Fits"/>).
/// </summary>
public sealed class NumberRangeOptions
{
    public string Start { get; set; } = string.Empty;

    public int Count { get; set; }

    /// <summary>
    /// True when every number of the range has <see cref="Start"/>'s length: Start + Count - 1 does not carry into
    /// another digit (99999 + 1 would be 100000). Computed in 128 bits, so a 20-digit Start cannot overflow.
    /// </summary>
    public bool Fits() =>
        NumberSelectionOptionsValidator.IsSecretNo(Start)
        && Count > 0
        && (UInt128.Parse(Start, CultureInfo.InvariantCulture) + (UInt128)(Count - 1)).ToString(CultureInfo.InvariantCulture).Length <= Start.Length;

    /// <summary>The numbers of the range; none when it is invalid (start-up validation refuses such a range).</summary>
    public IEnumerable<string> Expand()
    {
        if (!Fits())
        {
            yield break;
        }

        var start = UInt128.Parse(Start, CultureInfo.InvariantCulture);
        for (var i = 0; i < Count; i++)
        {
            yield return (start + (UInt128)i).ToString(CultureInfo.InvariantCulture).PadLeft(Start.Length, '0');
        }
    }
}

/// <summary>Refuses to start on selection settings that cannot work.</summary>
internal sealed class NumberSelectionOptionsValidator : IValidateOptions<NumberSelectionOptions>
{
    public const int MaxRangeCount = 100_000;

    public static bool IsSecretNo(string? value) => value is { Length: >= 5 and <= 20 } && value.All(char.IsAsciiDigit);

    public ValidateOptionsResult Validate(string? name, NumberSelectionOptions options)
    {
        var failures = new List<string>();
        if (options.SyncInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{NumberSelectionOptions.SectionName}:SyncInterval must be at least one second.");
        }

        foreach (var (poolKey, pool) in options.Pools)
        {
            var prefix = $"{NumberSelectionOptions.SectionName}:Pools:{poolKey}";
            if (string.IsNullOrWhiteSpace(poolKey) || poolKey.Length > 64)
            {
                failures.Add($"{prefix}: a pool key is 1 to 64 characters.");
            }

            if (!Enum.IsDefined(pool.Mode))
            {
                failures.Add($"{prefix}:Mode must be provider or local.");
            }

            if (pool.MaxPairsPerNumber is < 1 or > 200)
            {
                failures.Add($"{prefix}:MaxPairsPerNumber must be 1 to 200 (the provider carries at most 200 AXB pairs per X).");
            }

            if (pool.FallbackCities.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 32))
            {
                failures.Add($"{prefix}:FallbackCities may not hold a blank city or one longer than 32 characters.");
            }

            if (pool.FallbackCities.Distinct(StringComparer.Ordinal).Count() != pool.FallbackCities.Count)
            {
                failures.Add($"{prefix}:FallbackCities lists a city twice.");
            }

            if (pool.Numbers.Any(n => !IsSecretNo(n)))
            {
                failures.Add($"{prefix}:Numbers must be digits only (5 to 20).");
            }

            foreach (var (range, i) in pool.Ranges.Select((r, i) => (r, i)))
            {
                if (!IsSecretNo(range.Start) || range.Count is < 1 or > MaxRangeCount)
                {
                    failures.Add($"{prefix}:Ranges:{i} needs a digits-only Start (5 to 20) and a Count of 1 to {MaxRangeCount}.");
                }
                else if (!range.Fits())
                {
                    failures.Add($"{prefix}:Ranges:{i} runs past {range.Start.Length} digits: Start + Count - 1 needs another digit. Every number of a range keeps Start's length; split the range at the change of length.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
