using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.QuerySubsId;

/// <summary>
/// QuerySubsId (docs/provider-rules.md R-QRY-2): the SubsIds of the bindings in effect on X, in creation order, as one
/// comma-separated string. Expired bindings are left out (B.7); with none, <c>SubsId</c> is <c>""</c>
/// (B.8). X must be a number of the pool (else <c>isv.NO_NOT_EXIST</c>).
/// </summary>
public sealed class QuerySubsIdHandler(SimulatorStore store, ChinaClock clock) : IActionHandler
{
    public const string NoNotExistCode = "isv.NO_NOT_EXIST";

    public string Action => "QuerySubsId";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "PhoneNoX"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var poolKey = request.Required("PoolKey");
        var phoneNoX = request.Required("PhoneNoX");
        var (error, subsIds) = store.Transact<(BusinessError? Error, string? SubsIds)>(state =>
        {
            if (!state.Pools.ContainsKey(poolKey))
            {
                return (BusinessError.PoolKeyNotExists(), null);
            }

            if (!state.Numbers.TryGetValue(phoneNoX, out var x) || !string.Equals(x.PoolKey, poolKey, StringComparison.Ordinal))
            {
                return (new BusinessError(NoNotExistCode, "The number does not exist in this pool."), null);
            }

            var active = state.ActiveBindingsOn(phoneNoX, now).OrderBy(b => b.SubsId, StringComparer.Ordinal).Select(b => b.SubsId);
            return (null, string.Join(',', active));
        });

        return error is not null ? error : ActionResult.Ok(new ResponseBody { { "SubsId", subsIds } });
    }
}
