using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Calls;

/// <summary>What happened to a simulated call (the <c>outcome</c> of <c>POST /_sim/calls/simulate</c>).</summary>
public enum CallOutcome
{
    /// <summary>A binding routed the call and the called party rang.</summary>
    Connected,

    /// <summary>A binding matched, but its <c>CallRestrict</c> or its G group refuses this caller (R-BIND-7).</summary>
    Restricted,

    /// <summary>A binding matched, but a blacklist refuses the call (R-BLK-1, R-BLK-2).</summary>
    Blacklisted,

    /// <summary>No binding in effect on X matches the caller (or the dialled extension).</summary>
    NoBinding,

    /// <summary>A binding matched, but it has nobody to ring (A calling an AXN/AXG X without B), or X is frozen.</summary>
    NoRoute,
}

/// <summary>A call to route: who calls, the X dialled, the extension dialled after it (AXN extension only).</summary>
public sealed record CallAttempt(string Caller, string SecretNo, string? Extension);

/// <summary>
/// The X number as routing sees it: its pool's product, whether it is frozen, and the bindings on it that are in
/// effect at the call's time, in creation order.
/// </summary>
public sealed record RoutableNumber(string PoolKey, string Product, bool Frozen, IReadOnlyList<Binding> BindingsInEffect);

/// <summary>
/// The routing decision. <see cref="Binding"/> is the binding the call reached (null for <see cref="CallOutcome.NoBinding"/>
/// and for a frozen X); <see cref="CalledParty"/> the number that rang, set only when <see cref="CallOutcome.Connected"/>.
/// <see cref="Reason"/> explains the outcome without any phone number, so it can be logged and shown.
/// </summary>
public sealed record CallRoute(CallOutcome Outcome, Binding? Binding, string? CalledParty, string Reason);

/// <summary>
/// Routes a call over the bindings of one X (docs/provider-rules.md R-BIND-7). Pure: it reads the bindings and asks the two
/// lookups it is given, and changes nothing, so the caller runs it inside <c>SimulatorStore.Transact</c> and records
/// the result. Steps, in order:
/// <list type="number">
/// <item>a frozen X routes nothing (<see cref="CallOutcome.NoRoute"/>); a locked X routes its bindings as usual (R-NUM-6);</item>
/// <item>the product's rule finds the binding and the party it rings (<see cref="FindRoute"/>);</item>
/// <item><c>CallRestrict</c>: <c>CONTROL_AX_DISABLE</c> refuses calls by A; <c>CONTROL_BX_DISABLE</c> refuses calls
/// from the other side towards A (B in AXB; N, extension callers and G members in the other products);</item>
/// <item>blacklists, asked as <c>isBlocked(caller, calledParty)</c> (<c>SimulatorState.IsCallBlocked</c>, R-BLK-1/2).</item>
/// </list>
/// </summary>
public static class CallRouter
{
    public const string AxDisable = "CONTROL_AX_DISABLE";
    public const string BxDisable = "CONTROL_BX_DISABLE";

    /// <param name="attempt">The call.</param>
    /// <param name="number">The X dialled and its bindings in effect at the call's time.</param>
    /// <param name="groupMembers">The members of a G group of the X's pool (AXG), or null when there is no such group.</param>
    /// <param name="isBlocked">Whether a blacklist refuses a call from the first number to the second.</param>
    public static CallRoute Route(
        CallAttempt attempt,
        RoutableNumber number,
        Func<long, IReadOnlyCollection<string>?> groupMembers,
        Func<string, string, bool> isBlocked)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(number);
        ArgumentNullException.ThrowIfNull(groupMembers);
        ArgumentNullException.ThrowIfNull(isBlocked);

        if (number.Frozen)
        {
            return new CallRoute(CallOutcome.NoRoute, null, null, "X is frozen: a frozen number routes no call.");
        }

        var found = FindRoute(attempt, number, groupMembers);
        if (found.Outcome != CallOutcome.Connected)
        {
            return found;
        }

        var binding = found.Binding!;
        var callerIsA = Same(attempt.Caller, binding.PhoneNoA);
        if (callerIsA && Same(binding.CallRestrict, AxDisable))
        {
            return found with { Outcome = CallOutcome.Restricted, CalledParty = null, Reason = "CallRestrict CONTROL_AX_DISABLE: A cannot call X." };
        }

        if (!callerIsA && Same(binding.CallRestrict, BxDisable))
        {
            return found with
            {
                Outcome = CallOutcome.Restricted,
                CalledParty = null,
                Reason = "CallRestrict CONTROL_BX_DISABLE: the B side cannot call X.",
            };
        }

        if (isBlocked(attempt.Caller, found.CalledParty!))
        {
            return found with { Outcome = CallOutcome.Blacklisted, CalledParty = null, Reason = "a blacklist of the pool refuses this call." };
        }

        return found;
    }

    /// <summary>
    /// The product's rule (R-BIND-7), before restrictions and blacklists. Answers <see cref="CallOutcome.Connected"/>
    /// with the binding and the party to ring, or the outcome that stops the call here.
    /// </summary>
    public static CallRoute FindRoute(CallAttempt attempt, RoutableNumber number, Func<long, IReadOnlyCollection<string>?> groupMembers)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(number);
        ArgumentNullException.ThrowIfNull(groupMembers);
        var caller = attempt.Caller;
        var bindings = number.BindingsInEffect;

        if (Products.Is(number.Product, Products.Axb))
        {
            // X may carry many AXB bindings, but never two with the same party (R-BIND-6), so the caller picks one.
            foreach (var b in bindings)
            {
                if (Same(caller, b.PhoneNoA))
                {
                    return Ring(b, b.PhoneNoB, "AXB: A calls X, B rings.");
                }

                if (Same(caller, b.PhoneNoB))
                {
                    return Ring(b, b.PhoneNoA, "AXB: B calls X, A rings.");
                }
            }

            return NoBinding("AXB: the caller is neither A nor B of a binding in effect on X.");
        }

        if (Products.Is(number.Product, Products.AxnExtension))
        {
            if (attempt.Extension is { } extension)
            {
                return bindings.FirstOrDefault(b => Same(b.Extension, extension)) is { } byExtension
                    ? Ring(byExtension, byExtension.PhoneNoA, "AXN extension: X plus the extension rings its A.")
                    : NoBinding("AXN extension: no binding in effect on X has this extension.");
            }

            // A without an extension reaches its default B; with several bindings of A on X, the latest one decides.
            if (bindings.LastOrDefault(b => Same(caller, b.PhoneNoA)) is { } ofA)
            {
                return ofA.PhoneNoB is { } defaultB
                    ? Ring(ofA, defaultB, "AXN extension: A calls X, the default B rings.")
                    : new CallRoute(CallOutcome.NoRoute, ofA, null, "AXN extension: A calls X, but the binding has no default B.");
            }

            return NoBinding("AXN extension: a caller other than A must dial an extension.");
        }

        // AXN and AXG: X is dedicated to A (R-BIND-6), so it carries at most one binding in effect.
        if (bindings.Count == 0)
        {
            return NoBinding("no binding is in effect on X.");
        }

        var binding = bindings[^1];
        var product = Products.Is(number.Product, Products.Axg) ? "AXG" : "AXN";
        if (Same(caller, binding.PhoneNoA))
        {
            return binding.PhoneNoB is { } b
                ? Ring(binding, b, $"{product}: A calls X, B rings.")
                : new CallRoute(CallOutcome.NoRoute, binding, null, $"{product}: A calls X, but the binding has no B.");
        }

        if (Products.Is(number.Product, Products.Axg))
        {
            // AXG: the G group restricts who may reach A through X (R-BIND-7 AXG reading).
            var members = binding.GroupId is { } groupId ? groupMembers(groupId) : null;
            return members is not null && members.Contains(caller, StringComparer.Ordinal)
                ? Ring(binding, binding.PhoneNoA, "AXG: a G group member calls X, A rings.")
                : new CallRoute(CallOutcome.Restricted, binding, null, "AXG: the caller is not in the binding's G group.");
        }

        return Ring(binding, binding.PhoneNoA, "AXN: N calls X, A rings.");
    }

    /// <summary>The wire name of an outcome: <c>connected</c>, <c>restricted</c>, <c>blacklisted</c>, <c>noBinding</c>, <c>noRoute</c>.</summary>
    public static string WireName(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Connected => "connected",
        CallOutcome.Restricted => "restricted",
        CallOutcome.Blacklisted => "blacklisted",
        CallOutcome.NoBinding => "noBinding",
        CallOutcome.NoRoute => "noRoute",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    private static CallRoute Ring(Binding binding, string? party, string reason) =>
        party is null
            ? new CallRoute(CallOutcome.NoRoute, binding, null, reason + " (nobody to ring)")
            : new CallRoute(CallOutcome.Connected, binding, party, reason);

    private static CallRoute NoBinding(string reason) => new(CallOutcome.NoBinding, null, null, reason);

    private static bool Same(string? a, string? b) => a is not null && string.Equals(a, b, StringComparison.Ordinal);
}
