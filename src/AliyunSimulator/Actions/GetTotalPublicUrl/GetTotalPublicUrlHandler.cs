using BindingService.AliyunSimulator.Actions.CallRecords;
using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Actions.GetTotalPublicUrl;

/// <summary>
/// GetTotalPublicUrl (docs/provider-rules.md R-REC-3): <c>Data{RingPublicUrl, PhonePublicUrl}</c>, the ring/announcement
/// recording and the call recording of a call in the pool <c>PartnerKey</c> (the pool key under another name).
/// Each URL is present only when that recording exists; the 2-hour and 14-day rules of R-REC-2 apply.
/// <c>CheckSubs=true</c> also checks the binding identity: the call's binding must still exist (<c>isv.SUBS_NOT_EXIST</c>).
/// </summary>
public sealed class GetTotalPublicUrlHandler(SimulatorStore store, ChinaClock clock, IOptions<SimulatorOptions> options) : IActionHandler
{
    public string Action => "GetTotalPublicUrl";

    public IReadOnlyList<string> RequiredParameters { get; } = ["CheckSubs", "PartnerKey", "CallId", "CallTime"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var settings = options.Value.CallRecords;
        var partnerKey = request.Required("PartnerKey");
        if (OptionalSettings.TryReadBool(request, "CheckSubs", out var checkSubs) is { } badCheckSubs)
        {
            return badCheckSubs;
        }

        if (CallRecordLookup.TryRead(request, clock, out var lookup) is { } invalid)
        {
            return invalid;
        }

        return store.Transact<ActionResult>(state =>
        {
            if (!state.Pools.ContainsKey(partnerKey))
            {
                return BusinessError.PoolKeyNotExists();
            }

            if (lookup.TryFind(state, pool => string.Equals(pool, partnerKey, StringComparison.Ordinal), out var call) is { } notFound)
            {
                return notFound;
            }

            if (checkSubs == true && (call.SubsId is null || state.FindBinding(call.SubsId) is null))
            {
                return BusinessError.SubsNotExist();
            }

            if (CallRecordLookup.CheckRetention(call, settings.RetentionDays, now) is { } gone)
            {
                return gone;
            }

            if (!call.HasRecording && !call.HasRingRecording)
            {
                return BusinessError.ForbiddenAction("the call has neither a ring nor a call recording.");
            }

            return ActionResult.Ok(new ResponseBody
            {
                {
                    "Data", new ResponseBody
                    {
                        { "RingPublicUrl", call.HasRingRecording ? RecordingUrls.Ring(call, settings, now) : null },
                        { "PhonePublicUrl", call.HasRecording ? RecordingUrls.Call(call, settings, now) : null },
                    }
                },
            });
        });
    }
}
