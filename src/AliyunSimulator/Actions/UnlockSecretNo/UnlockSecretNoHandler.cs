using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.UnlockSecretNo;

/// <summary>
/// UnlockSecretNo (API-DIGEST §3.21, R-NUM-6): unlocks the complete number given, so new bindings may select it again
/// (unless it is frozen). Unlocking an unlocked number is OK.
/// </summary>
public sealed class UnlockSecretNoHandler(SimulatorStore store, ILogger<UnlockSecretNoHandler> logger) : IActionHandler
{
    public string Action => "UnlockSecretNo";

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

            number.Locked = false;
            return null;
        });
        if (error is not null)
        {
            return error;
        }

        NumberLog.NumberLockChanged(logger, PhoneMask.Mask(secretNo), poolKey, locked: false, request.RequestId);
        return ActionResult.Ok();
    }
}
