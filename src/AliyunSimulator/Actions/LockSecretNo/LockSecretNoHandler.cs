using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.LockSecretNo;

/// <summary>
/// LockSecretNo and UnlockSecretNo (docs/provider-rules.md R-NUM-6) on the complete number given. A locked number is
/// skipped by automatic X selection (and an explicit <c>PhoneNoX</c> is refused, B.6); existing bindings keep
/// working; unlocking makes it selectable again (unless frozen). Setting the state it already has is OK.
/// </summary>
public abstract class SecretNoLockHandler(SimulatorStore store, ILogger logger, bool locks) : IActionHandler
{
    public abstract string Action { get; }

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

            number.Locked = locks;
            return null;
        });
        if (error is not null)
        {
            return error;
        }

        NumberLog.NumberLockChanged(logger, PhoneMask.Mask(secretNo), poolKey, locks, request.RequestId);
        return ActionResult.Ok();
    }
}

/// <summary>LockSecretNo (R-NUM-6).</summary>
public sealed class LockSecretNoHandler(SimulatorStore store, ILogger<LockSecretNoHandler> logger) : SecretNoLockHandler(store, logger, locks: true)
{
    public override string Action => "LockSecretNo";
}

/// <summary>UnlockSecretNo (R-NUM-6).</summary>
public sealed class UnlockSecretNoHandler(SimulatorStore store, ILogger<UnlockSecretNoHandler> logger) : SecretNoLockHandler(store, logger, locks: false)
{
    public override string Action => "UnlockSecretNo";
}
