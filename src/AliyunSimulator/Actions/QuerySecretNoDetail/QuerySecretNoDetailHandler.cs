using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.QuerySecretNoDetail;

/// <summary>
/// QuerySecretNoDetail (docs/provider-rules.md R-NUM-8): <c>SecretNoInfoDTO{PurchaseTime, Vendor, Province, City,
/// SecretStatus, CertifyStatus}</c> of a number in the pool. SecretStatus is derived (R-NUM-5): frozen 3 > locked 2
/// > bound 1 (at least one active binding on X) > unbound 0. A released number is <c>isv.NO_NOT_EXIST</c> (R-NUM-7).
/// </summary>
public sealed class QuerySecretNoDetailHandler(SimulatorStore store, ChinaClock clock) : IActionHandler
{
    public string Action => "QuerySecretNoDetail";

    public IReadOnlyList<string> RequiredParameters { get; } = ["SecretNo", "PoolKey"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var poolKey = request.Required("PoolKey");
        var secretNo = request.Required("SecretNo");
        return store.Transact<ActionResult>(state =>
        {
            if (PoolNumberLookup.TryFind(state, poolKey, secretNo, out var number) is { } error)
            {
                return error;
            }

            // Vendor and SecretStatus are Long, CertifyStatus Integer (R-FMT-4).
            return ActionResult.Ok(new ResponseBody
            {
                {
                    "SecretNoInfoDTO", new ResponseBody
                    {
                        { "PurchaseTime", clock.Format(number.PurchaseTime ?? now) },
                        { "Vendor", number.Vendor },
                        { "Province", number.Province },
                        { "City", number.City },
                        { "SecretStatus", state.SecretStatusOf(number, now) },
                        { "CertifyStatus", number.CertifyStatus },
                    }
                },
            });
        });
    }
}
