using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.OperateAxgGroup;

/// <summary>
/// OperateAxgGroup (docs/provider-rules.md R-GRP-4, R-GRP-5): <c>addNumbers</c>, <c>deleteNumbers</c> (numbers not in
/// the group are ignored) or <c>overwriteNumbers</c> on a G group of an AXG pool, at most 200 numbers per call.
/// <c>overwriteNumbers</c> also refuses a group that already holds more than 200 numbers (grown by several
/// <c>addNumbers</c>) with <c>isv.FORBIDDEN_ACTION</c>: the reference limits the group's existing numbers
/// ("全量替换号码时，G号码组中原有的号码不能超过200个", docs/provider-rules.md R-GRP-4), not only the new list (this
/// departs from the inferred default B.3). Emptying a group is allowed; BindAxg then refuses it.
/// </summary>
public sealed class OperateAxgGroupHandler(SimulatorStore store, ILogger<OperateAxgGroupHandler> logger) : IActionHandler
{
    public const string AddNumbers = "addNumbers";
    public const string DeleteNumbers = "deleteNumbers";
    public const string OverwriteNumbers = "overwriteNumbers";

    public string Action => "OperateAxgGroup";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "GroupId", "OperateType", "Numbers"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var poolKey = request.Required("PoolKey");
        if (!AxgGroupRules.TryParseGroupId(request.Required("GroupId"), out var groupId))
        {
            return BusinessError.InvalidParameters("GroupId must be a G group id (an integer).");
        }

        var operateType = request.Required("OperateType");
        if (operateType is not (AddNumbers or DeleteNumbers or OverwriteNumbers))
        {
            return BusinessError.InvalidParameters("OperateType must be addNumbers, deleteNumbers or overwriteNumbers.");
        }

        if (AxgGroupRules.TryReadNumbers(request.Required("Numbers"), out var numbers) is { } badNumbers)
        {
            return badNumbers;
        }

        var (error, count) = store.Transact<(BusinessError? Error, int Count)>(state =>
        {
            if (!state.Pools.TryGetValue(poolKey, out var pool))
            {
                return (BusinessError.PoolKeyNotExists(), 0);
            }

            if (!Products.Is(pool.Product, Products.Axg))
            {
                return (BusinessError.ForbiddenAction("operateAxgGroup: the pool is not an AXG pool."), 0);
            }

            if (state.FindGroup(poolKey, groupId) is not { } group)
            {
                return (BusinessError.InvalidParameters("GroupId is not a G group of this pool."), 0);
            }

            switch (operateType)
            {
                case AddNumbers:
                    group.AddNumbers(numbers);
                    break;
                case DeleteNumbers:
                    group.Numbers.RemoveAll(n => numbers.Contains(n, StringComparer.Ordinal));
                    break;
                default:
                    if (group.Numbers.Count > AxgGroupRules.MaxNumbersPerCall)
                    {
                        return (BusinessError.ForbiddenAction(
                            $"overwriteNumbers: the group already holds more than {AxgGroupRules.MaxNumbersPerCall} numbers; delete numbers (deleteNumbers) first."), 0);
                    }

                    group.Numbers.Clear();
                    group.AddNumbers(numbers);
                    break;
            }

            return (null, group.Numbers.Count);
        });

        if (error is not null)
        {
            return error;
        }

        SimulatorLog.GroupChanged(logger, groupId, operateType, count, request.RequestId);
        return ActionResult.Ok();
    }
}
