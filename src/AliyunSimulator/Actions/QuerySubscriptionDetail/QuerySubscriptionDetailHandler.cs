using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.QuerySubscriptionDetail;

/// <summary>
/// QuerySubscriptionDetail (docs/provider-rules.md R-QRY-1): the stored binding of any product as
/// <c>SecretBindDetailDTO</c>. Status is 1 while in effect and 0 once expired (R-UNB-2); phone numbers and
/// <c>Extension</c> are strings, <c>GroupId</c> a number (R-FMT-4); times are China wall-clock
/// <c>yyyy-MM-dd HH:mm:ss</c>. Omitted when not set: <c>CallRestrict</c>, <c>ASRModelId</c>, <c>PhoneNoB</c>
/// (optional for AXN, AXN extension and AXG), <c>Extension</c> (AXN extension only) and <c>GroupId</c> (AXG only).
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
                    { "Extension", b.Extension },
                    { "GroupId", b.GroupId },
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
