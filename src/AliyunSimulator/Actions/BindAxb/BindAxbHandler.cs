using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Actions.BindAxb;

/// <summary>
/// BindAxb (docs/provider-rules.md, 'Actions', 'Creating bindings'): creates an AXB binding on an X shared with other pairs (R-BIND-6), and answers
/// <c>SecretBindDTO{SubsId, SecretNo}</c>.
/// </summary>
public sealed class BindAxbHandler(
    SimulatorStore store,
    ChinaClock clock,
    IOptions<SimulatorOptions> options,
    ILogger<BindAxbHandler> logger) : IActionHandler
{
    public string Action => "BindAxb";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "PhoneNoA", "PhoneNoB", "Expiration"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        if (BindParameters.TryRead(request, clock, now, out var p) is { } invalid)
        {
            return invalid;
        }

        var sharing = XSharing.Axb(p.PhoneNoA, p.PhoneNoB!, options.Value.MaxAxbPairsPerX);
        var outcome = store.Transact<(BusinessError? Error, Binding? Binding)>(state =>
        {
            if (p.TryFindPool(state, Products.Axb, Action, out var pool) is { } noPool)
            {
                return (noPool, null);
            }

            if (XNumberSelector.TrySelect(state, pool, p.PhoneNoX, p.ExpectCity, now, sharing, out var x) is { } refused)
            {
                return (refused, null);
            }

            var binding = p.NewBinding(state, Products.Axb, x, now);
            state.Add(binding);
            return (null, binding);
        });

        return BindParameters.Answer(outcome, logger, request);
    }
}
