using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.ReleaseSecretNo;

/// <summary>
/// ReleaseSecretNo (docs/provider-rules.md R-NUM-7): releases the complete number given (B.2: exact match, no
/// prefix). A number with an active binding is refused with <c>isv.FORBIDDEN_ACTION</c> (expired bindings do not
/// block it, B.7). A released number is gone: QuerySecretNoDetail and the bind actions no longer find it.
/// </summary>
public sealed class ReleaseSecretNoHandler(SimulatorStore store, ChinaClock clock, ILogger<ReleaseSecretNoHandler> logger) : IActionHandler
{
    public string Action => "ReleaseSecretNo";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "SecretNo"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var poolKey = request.Required("PoolKey");
        var secretNo = request.Required("SecretNo");
        var error = store.Transact(state =>
        {
            if (PoolNumberLookup.TryFind(state, poolKey, secretNo, out var number) is { } notFound)
            {
                return notFound;
            }

            if (state.ActiveBindingsOn(number.SecretNo, now).Count > 0)
            {
                return BusinessError.ForbiddenAction("the number still has bindings: unbind them before releasing it.");
            }

            state.Release(number);
            return null;
        });
        if (error is not null)
        {
            return error;
        }

        NumberLog.NumberReleased(logger, PhoneMask.Mask(secretNo), poolKey, request.RequestId);
        return ActionResult.Ok();
    }
}
