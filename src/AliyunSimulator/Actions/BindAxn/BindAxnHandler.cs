using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.BindAxn;

/// <summary>
/// BindAxn (docs/provider-rules.md, 'Actions', 'Creating bindings'): creates an AXN binding. X is dedicated to A while the binding is in effect
/// (R-BIND-6): any N calling X reaches A, and A calling X reaches the optional B. <c>NoType</c> is stored as sent.
/// </summary>
public sealed class BindAxnHandler(SimulatorStore store, ChinaClock clock, ILogger<BindAxnHandler> logger) : IActionHandler
{
    public string Action => "BindAxn";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "PhoneNoA", "Expiration"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        if (BindParameters.TryRead(request, clock, now, out var p) is { } invalid)
        {
            return invalid;
        }

        var noType = request.Optional("NoType");
        var outcome = store.Transact<(BusinessError? Error, Binding? Binding)>(state =>
        {
            if (p.TryFindPool(state, Products.Axn, Action, out var pool) is { } noPool)
            {
                return (noPool, null);
            }

            if (XNumberSelector.TrySelect(state, pool, p.PhoneNoX, p.ExpectCity, now, XSharing.Dedicated, out var x) is { } refused)
            {
                return (refused, null);
            }

            var binding = p.NewBinding(state, Products.Axn, x, now, noType: noType);
            state.Add(binding);
            return (null, binding);
        });

        return BindParameters.Answer(outcome, logger, request);
    }
}
