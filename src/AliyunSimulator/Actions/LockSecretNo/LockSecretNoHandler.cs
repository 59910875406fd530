using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.LockSecretNo;

/// <summary>
/// LockSecretNo (API-DIGEST §3.20, R-NUM-6): locks the complete number given, so automatic X selection skips it
/// (and an explicit <c>PhoneNoX</c> is refused, Appendix B.6); existing bindings keep working. Locking a locked number is OK.
/// </summary>
public sealed class LockSecretNoHandler(SimulatorStore store, ILogger<LockSecretNoHandler> logger) : IActionHandler
{
    public string Action => "LockSecretNo";

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

            number.Locked = true;
            return null;
        });
        if (error is not null)
        {
            return error;
        }

        NumberLog.NumberLockChanged(logger, PhoneMask.Mask(secretNo), poolKey, locked: true, request.RequestId);
        return ActionResult.Ok();
    }
}
