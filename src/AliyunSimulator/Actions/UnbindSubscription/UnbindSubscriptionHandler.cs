using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.UnbindSubscription;

/// <summary>
/// UnbindSubscription (docs/provider-rules.md R-UNB-1): removes the binding of any product, expired or not. A removed
/// binding is gone: Query, Update and a second Unbind answer <c>isv.SUBS_NOT_EXIST</c>; its X is free again for a
/// dedicated (AXN, AXG) binding, its extension for another AXN-extension binding, and its tracking numbers no longer
/// find it. Answers the deprecated <c>ChargeId: true</c>.
/// </summary>
public sealed class UnbindSubscriptionHandler(SimulatorStore store, ILogger<UnbindSubscriptionHandler> logger) : IActionHandler
{
    public string Action => "UnbindSubscription";

    public IReadOnlyList<string> RequiredParameters { get; } = ["SubsId", "SecretNo"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SubscriptionLookup.TryRead(request, "SecretNo", out var lookup) is { } refused)
        {
            return refused;
        }

        var error = store.Transact(state =>
        {
            if (lookup.TryFind(state, out var binding) is { } notFound)
            {
                return notFound;
            }

            state.Remove(binding);
            return (BusinessError?)null;
        });

        if (error is not null)
        {
            return error;
        }

        SimulatorLog.BindingRemoved(logger, lookup.SubsId, request.RequestId);
        return ActionResult.Ok(new ResponseBody { { "ChargeId", true } });
    }
}
