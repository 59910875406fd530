using System.Globalization;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.CreateAxgGroup;

/// <summary>
/// CreateAxgGroup (docs/provider-rules.md R-GRP-1..3): a new G group in an AXG pool (else <c>isv.FORBIDDEN_ACTION</c>),
/// with up to 200 numbers or none, at most 2000 groups per pool. <c>Name</c> (1–128 characters) defaults to the
/// GroupId; <c>Remark</c> is at most 256. Answers <c>GroupId</c> as a JSON number (a Long, R-FMT-4).
/// </summary>
public sealed class CreateAxgGroupHandler(SimulatorStore store, ChinaClock clock, ILogger<CreateAxgGroupHandler> logger) : IActionHandler
{
    public string Action => "CreateAxgGroup";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var poolKey = request.Required("PoolKey");
        var name = request.Optional("Name");
        if (name is { Length: > AxgGroupRules.MaxNameLength })
        {
            return BusinessError.InvalidParameters($"Name is 1 to {AxgGroupRules.MaxNameLength} characters.");
        }

        var remark = request.Optional("Remark");
        if (remark is { Length: > AxgGroupRules.MaxRemarkLength })
        {
            return BusinessError.InvalidParameters($"Remark is at most {AxgGroupRules.MaxRemarkLength} characters.");
        }

        if (AxgGroupRules.TryReadNumbers(request.Optional("Numbers"), out var numbers) is { } badNumbers)
        {
            return badNumbers;
        }

        var (error, group) = store.Transact<(BusinessError? Error, AxgGroupSnapshot? Group)>(state =>
        {
            if (!state.Pools.TryGetValue(poolKey, out var pool))
            {
                return (BusinessError.PoolKeyNotExists(), null);
            }

            if (!Products.Is(pool.Product, Products.Axg))
            {
                return (BusinessError.ForbiddenAction("createAxgGroup: the pool is not an AXG pool."), null);
            }

            if (state.GroupCount(poolKey) >= SimulatorState.MaxGroupsPerPool)
            {
                return (BusinessError.ForbiddenAction($"the pool already has {SimulatorState.MaxGroupsPerPool} G groups."), null);
            }

            var groupId = state.NextGroupId();
            var created = new AxgGroup
            {
                GroupId = groupId,
                PoolKey = poolKey,
                Name = name ?? groupId.ToString(CultureInfo.InvariantCulture),
                Remark = remark,
                CreatedAt = now,
            };
            created.AddNumbers(numbers);
            state.Add(created);
            return (null, created.Snapshot());
        });

        if (error is not null)
        {
            return error;
        }

        SimulatorLog.GroupCreated(logger, group!.GroupId, group.PoolKey, group.Numbers.Count, request.RequestId);
        return ActionResult.Ok(new ResponseBody { { "GroupId", group.GroupId } });
    }
}
