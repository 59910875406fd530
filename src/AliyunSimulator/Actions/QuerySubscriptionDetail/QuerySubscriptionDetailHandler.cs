using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.QuerySubscriptionDetail;

/// <summary>
/// QuerySubscriptionDetail (API-DIGEST §3.9, R-QRY-1): the stored binding as <c>SecretBindDetailDTO</c>. Status is
/// 1 while in effect and 0 once expired (R-UNB-2); phone numbers are strings; times are China wall-clock
/// <c>yyyy-MM-dd HH:mm:ss</c>; <c>CallRestrict</c> is omitted when none is set, as are the AXN/AXG-only
/// <c>Extension</c> and <c>GroupId</c> and an unset <c>ASRModelId</c>.
/// </summary>
public sealed class QuerySubscriptionDetailHandler(SimulatorStore store, ChinaClock clock) : IActionHandler
{
    public string Action => "QuerySubscriptionDetail";

    public IReadOnlyList<string> RequiredParameters { get; } = ["SubsId", "PhoneNoX"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        if (SubscriptionLookup.TryRead(request, "PhoneNoX", out var lookup) is { } refused)
        {
            return refused;
        }

        var (error, snapshot) = store.Transact<(BusinessError? Error, BindingSnapshot? Snapshot)>(state =>
            lookup.TryFind(state, out var binding) is { } notFound ? (notFound, null) : (null, binding.Snapshot(now)));
        if (error is not null)
        {
            return error;
        }

        var b = snapshot!;
        return ActionResult.Ok(new ResponseBody
        {
            {
                "SecretBindDetailDTO", new ResponseBody
                {
                    { "SubsId", b.SubsId },
                    { "PhoneNoA", b.PhoneNoA },
                    { "PhoneNoB", b.PhoneNoB },
                    { "PhoneNoX", b.SecretNo },
                    { "Status", (long)b.Status },
                    { "GmtCreate", clock.Format(b.CreatedAt) },
                    { "ExpireDate", clock.Format(b.Expiration) },
                    { "NeedRecord", b.NeedRecord },
                    { "ASRStatus", b.AsrStatus },
                    { "ASRModelId", b.AsrModelId },
                    { "CallRestrict", b.CallRestrict },
                }
            },
        });
    }
}
