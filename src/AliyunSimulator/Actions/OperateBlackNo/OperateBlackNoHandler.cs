using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.OperateBlackNo;

/// <summary>
/// OperateBlackNo (docs/provider-rules.md R-BLK-1): <c>AddBlack</c> or <c>DeleteBlack</c> one number on the pool's
/// blacklist. Only AXN, AXN-extension and 95-AXN pools have one; other pools answer <c>isv.FORBIDDEN_ACTION</c>.
/// Both operations are idempotent. Calls from a blacklisted number to the pool's X numbers are refused
/// (<see cref="SimulatorState.IsCallBlocked"/>).
/// </summary>
public sealed class OperateBlackNoHandler(SimulatorStore store, ILogger<OperateBlackNoHandler> logger) : IActionHandler
{
    public const string AddBlack = "AddBlack";
    public const string DeleteBlack = "DeleteBlack";

    public string Action => "OperateBlackNo";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "BlackNo", "OperateType"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var poolKey = request.Required("PoolKey");
        var blackNo = request.Required("BlackNo");
        var operateType = request.Required("OperateType");
        if (operateType is not (AddBlack or DeleteBlack))
        {
            return BusinessError.InvalidParameters("OperateType must be AddBlack or DeleteBlack.");
        }

        if (!ParameterRules.IsPhoneNumber(blackNo))
        {
            return BusinessError.MobileNumberIllegal("BlackNo");
        }

        var error = store.Transact(state =>
        {
            if (!state.Pools.TryGetValue(poolKey, out var pool))
            {
                return BusinessError.PoolKeyNotExists();
            }

            if (!pool.AcceptsPoolBlacklist)
            {
                return BusinessError.ForbiddenAction("OperateBlackNo works on AXN, AXN extension and 95 AXN pools only.");
            }

            if (operateType == AddBlack)
            {
                state.AddPoolBlackNumber(poolKey, blackNo);
            }
            else
            {
                state.RemovePoolBlackNumber(poolKey, blackNo);
            }

            return null;
        });
        if (error is not null)
        {
            return error;
        }

        NumberLog.BlacklistChanged(logger, poolKey, operateType, "POOL_BLACK", PhoneMask.Mask(blackNo), request.RequestId);
        return ActionResult.Ok();
    }
}
