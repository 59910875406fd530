using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.BindAxg;

/// <summary>
/// BindAxg (docs/provider-rules.md, 'Actions', 'Creating bindings'): creates an AXG binding for a G group of the pool. The group must exist in
/// this pool (else <c>isv.INVALID_PARAMETERS</c>) and hold at least one number (R-BIND-10, R-GRP-5: else
/// <c>isv.FORBIDDEN_ACTION</c>). X is dedicated to A as in AXN (R-BIND-6).
/// </summary>
public sealed class BindAxgHandler(SimulatorStore store, ChinaClock clock, ILogger<BindAxgHandler> logger) : IActionHandler
{
    public string Action => "BindAxg";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "PhoneNoA", "GroupId", "Expiration"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        if (!AxgGroupRules.TryParseGroupId(request.Required("GroupId"), out var groupId))
        {
            return BusinessError.InvalidParameters("GroupId must be a G group id (an integer).");
        }

        if (BindParameters.TryRead(request, clock, now, out var p) is { } invalid)
        {
            return invalid;
        }

        var outcome = store.Transact<(BusinessError? Error, Binding? Binding)>(state =>
        {
            if (p.TryFindPool(state, Products.Axg, Action, out var pool) is { } noPool)
            {
                return (noPool, null);
            }

            if (AxgGroupRules.TryFindUsableGroup(state, pool.PoolKey, groupId) is { } badGroup)
            {
                return (badGroup, null);
            }

            if (XNumberSelector.TrySelect(state, pool, p.PhoneNoX, p.ExpectCity, now, XSharing.Dedicated, out var x) is { } refused)
            {
                return (refused, null);
            }

            var binding = p.NewBinding(state, Products.Axg, x, now, groupId: groupId);
            state.Add(binding);
            return (null, binding);
        });

        return BindParameters.Answer(outcome, logger, request);
    }
}
