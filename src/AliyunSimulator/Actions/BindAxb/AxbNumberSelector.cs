using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.BindAxb;

/// <summary>
/// Chooses X for a new AXB binding (R-BIND-4, R-BIND-6). Runs inside the store transaction.
/// </summary>
public static class AxbNumberSelector
{
    /// <summary>
    /// An explicit <paramref name="phoneNoX"/> must be a selectable number of this pool, free for A and B and under the
    /// pair limit. Otherwise X is drawn at random (the store's seeded source) from the pool's selectable numbers
    /// on which neither A nor B has an active binding and which carry fewer than <paramref name="maxPairsPerX"/>
    /// active bindings: from <paramref name="expectCity"/> when it has one, else from any other city, unless the
    /// pool matches cities strictly.
    /// </summary>
    public static BusinessError? TrySelect(
        SimulatorState state,
        Pool pool,
        string phoneNoA,
        string phoneNoB,
        string? phoneNoX,
        string? expectCity,
        int maxPairsPerX,
        DateTimeOffset now,
        out SecretNumber selected)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pool);
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

            var active = state.ActiveBindingsOn(x.SecretNo, now);
            if (active.Any(b => b.Involves(phoneNoA) || b.Involves(phoneNoB)))
            {
                return BusinessError.BindConflict("PhoneNoA or PhoneNoB already has a binding with this X.");
            }

            if (active.Count >= maxPairsPerX)
            {
                return BusinessError.NoAvailableNumber("PhoneNoX already carries the maximum number of bindings.");
            }

            selected = x;
            return null;
        }

        var candidates = pool.Numbers
            .Where(n => n.Selectable && IsFreeFor(state.ActiveBindingsOn(n.SecretNo, now), phoneNoA, phoneNoB, maxPairsPerX))
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
            return BusinessError.NoAvailableNumber("every number in the pool is locked, full, or already bound with PhoneNoA or PhoneNoB.");
        }

        selected = candidates[state.Random.Next(candidates.Count)];
        return null;
    }

    private static bool IsFreeFor(List<Binding> active, string phoneNoA, string phoneNoB, int maxPairsPerX) =>
        active.Count < maxPairsPerX && !active.Any(b => b.Involves(phoneNoA) || b.Involves(phoneNoB));
}
