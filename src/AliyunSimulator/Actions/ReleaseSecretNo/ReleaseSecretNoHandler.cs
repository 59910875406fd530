using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.ReleaseSecretNo;

/// <summary>
/// ReleaseSecretNo (docs/provider-rules.md R-NUM-7, R-UNB-3): releases the complete number given (B.2: exact
/// match, no prefix). A number with any binding — in effect or expired — is refused with <c>isv.FORBIDDEN_ACTION</c>:
/// the reference releases a number only when it has no binding at all, after UnbindSubscription ("释放号码前，必须调用
/// UnbindSubscription接口解除绑定关系", "号码无任何绑定关系时才能释放"), so an expired binding must be unbound first
/// (this deliberately departs from the inferred default B.7). A released number is gone:
/// QuerySecretNoDetail and the bind actions no longer find it.
/// </summary>
public sealed class ReleaseSecretNoHandler(SimulatorStore store, ILogger<ReleaseSecretNoHandler> logger) : IActionHandler
{
    public string Action => "ReleaseSecretNo";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "SecretNo"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var poolKey = request.Required("PoolKey");
        var secretNo = request.Required("SecretNo");
        var error = store.Transact(state =>
        {
            if (PoolNumberLookup.TryFind(state, poolKey, secretNo, out var number) is { } notFound)
            {
                return notFound;
            }

            if (state.BindingCountOn(number.SecretNo) > 0)
            {
                return BusinessError.ForbiddenAction("the number still has bindings (expired ones too): unbind them with UnbindSubscription before releasing it.");
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
