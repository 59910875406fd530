using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions;

/// <summary>
/// Whether a new binding may use an X, given the bindings in effect on it (docs/provider-rules.md R-BIND-6): null when it may, else the
/// error to answer for an explicit <c>PhoneNoX</c>. See <see cref="XSharing"/> for the rule of each product.
/// </summary>
public delegate BusinessError? XSharingRule(IReadOnlyList<Binding> activeOnX);

/// <summary>
/// Chooses X for a new binding of any product (R-BIND-4). Runs inside the store transaction.
/// </summary>
public static class XNumberSelector
{
    /// <summary>
    /// An explicit <paramref name="phoneNoX"/> must be a number of this pool (R-BIND-4.1), not locked or frozen
    /// (B.6), and free under <paramref name="sharing"/>. Otherwise X is drawn at random (the store's seeded
    /// source) from the pool's selectable numbers that <paramref name="sharing"/> allows: from
    /// <paramref name="expectCity"/> when it has one, else from any other city, unless the pool matches cities
    /// strictly (B.4: only when ExpectCity is given).
    /// </summary>
    public static BusinessError? TrySelect(
        SimulatorState state,
        Pool pool,
        string? phoneNoX,
        string? expectCity,
        DateTimeOffset now,
        XSharingRule sharing,
        out SecretNumber selected)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(sharing);
        selected = null!;
        if (phoneNoX is not null)
        {
            if (!state.Numbers.TryGetValue(phoneNoX, out var x) || !string.Equals(x.PoolKey, pool.PoolKey, StringComparison.Ordinal))
            {
                return BusinessError.ForbiddenAction("PhoneNoX does not exist or does not belong to this pool.");
            }

            if (!x.Selectable)
            {
                return BusinessError.ForbiddenAction("PhoneNoX is locked or frozen.");
            }

            if (sharing(state.ActiveBindingsOn(x.SecretNo, now)) is { } refused)
            {
                return refused;
            }

            selected = x;
            return null;
        }

        if (TryProbe(state, pool, expectCity, now, sharing) is { } probed)
        {
            selected = probed;
            return null;
        }

        var candidates = pool.Numbers
            .Where(n => n.Selectable && sharing(state.ActiveBindingsOn(n.SecretNo, now)) is null)
            .ToList();
        if (expectCity is not null)
        {
            var inCity = candidates.Where(n => string.Equals(n.City, expectCity, StringComparison.Ordinal)).ToList();
            if (inCity.Count > 0)
            {
                candidates = inCity;
            }
            else if (pool.StrictCityMatch)
            {
                return BusinessError.NoAvailableNumber("the pool matches cities strictly and has no available number in ExpectCity.");
            }
        }

        if (candidates.Count == 0)
        {
            return BusinessError.NoAvailableNumber("every number in the pool is locked, frozen or already taken for this kind of binding.");
        }

        selected = candidates[state.Random.Next(candidates.Count)];
        return null;
    }

    /// <summary>Random numbers of the pool tried before the full scan.</summary>
    private const int Probes = 16;

    /// <summary>
    /// Draws numbers of the pool at random and takes the first that is selectable, in <paramref name="expectCity"/>
    /// (when given) and allowed by <paramref name="sharing"/>: a draw accepted only when it qualifies is uniform over
    /// the qualifying numbers, the same distribution as the full scan's, at the cost of a few numbers instead of all
    /// of them (and of every binding they hold). Null after <see cref="Probes"/> misses: the caller scans, which also
    /// decides the city fallback and the "none available" answer.
    /// </summary>
    private static SecretNumber? TryProbe(SimulatorState state, Pool pool, string? expectCity, DateTimeOffset now, XSharingRule sharing)
    {
        var numbers = pool.Numbers;
        if (numbers.Count == 0)
        {
            return null;
        }

        for (var i = 0; i < Probes; i++)
        {
            var n = numbers[state.Random.Next(numbers.Count)];
            if (n.Selectable
                && (expectCity is null || string.Equals(n.City, expectCity, StringComparison.Ordinal))
                && sharing(state.ActiveBindingsOn(n.SecretNo, now)) is null)
            {
                return n;
            }
        }

        return null;
    }
}

/// <summary>How each product shares one X among bindings in effect (R-BIND-6, B.5).</summary>
public static class XSharing
{
    /// <summary>Extensions are 1 to 3 digits (B.19): at most this many distinct ones are allocated per X, "1" to "999".</summary>
    public const int MaxAllocatedExtensions = 999;

    /// <summary>
    /// AXB: one X carries several bindings, up to <paramref name="maxPairsPerX"/>, but never two on which A or B
    /// is already a party (the call could not be routed): <c>isv.BIND_CONFLICT</c>.
    /// </summary>
    public static XSharingRule Axb(string phoneNoA, string phoneNoB, int maxPairsPerX) => active =>
        active.Any(b => b.Involves(phoneNoA) || b.Involves(phoneNoB))
            ? BusinessError.BindConflict("PhoneNoA or PhoneNoB already has a binding with this X.")
            : active.Count >= maxPairsPerX
                ? BusinessError.NoAvailableNumber("PhoneNoX already carries the maximum number of bindings.")
                : null;

    /// <summary>
    /// AXN and AXG: X is dedicated to one A (R-BIND-6; AXG treated alike, B.5): it carries at most one
    /// binding in effect, whoever its A is.
    /// </summary>
    public static XSharingRule Dedicated { get; } = active =>
        active.Count > 0 ? BusinessError.BindConflict("this X is dedicated to the A of a binding in effect.") : null;

    /// <summary>
    /// AXN extension: one X carries many bindings, each with its own extension; (X, Extension) is unique among
    /// the bindings in effect. With no <paramref name="extension"/>, X only needs a free one.
    /// </summary>
    public static XSharingRule Extension(string? extension) => active =>
        extension is not null && active.Any(b => string.Equals(b.Extension, extension, StringComparison.Ordinal))
            ? BusinessError.BindConflict("Extension is already in use on this X.")
            : extension is null && FreeExtension(active) is null
                ? BusinessError.NoAvailableNumber("every extension of this X is in use.")
                : null;

    /// <summary>The lowest extension not in use on X, "1" upwards (B.19), or null when all are taken.</summary>
    public static string? FreeExtension(IReadOnlyList<Binding> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        var used = active.Select(b => b.Extension).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return Enumerable.Range(1, MaxAllocatedExtensions)
            .Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault(e => !used.Contains(e));
    }
}
