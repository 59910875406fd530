using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BindingService.AliyunSimulator.Actions.CallRecords;
using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Actions.GetSecretAsrDetail;

/// <summary>
/// GetSecretAsrDetail (docs/provider-rules.md R-REC-4): the ASR result of a call whose binding had <c>ASRStatus=true</c>,
/// as <c>Data{RequestId, BusinessId, BusinessKey, Code: "21050000", Msg: "SUCCESS", BizDuration, Type: "asrResult",
/// Sentences[]}</c>. The engine's ids are derived from the CallId, so they are stable per call. A call without an
/// ASR result is <c>isv.FORBIDDEN_ACTION</c> [sim]; an account in <c>RamDeniedAccessKeyIds</c> gets the documented
/// <c>isp.RAM_PERMISSION_DENIED</c> (400).
/// </summary>
public sealed class GetSecretAsrDetailHandler(SimulatorStore store, ChinaClock clock, IOptions<SimulatorOptions> options) : IActionHandler
{
    public const string AsrSuccessCode = "21050000";

    public string Action => "GetSecretAsrDetail";

    public IReadOnlyList<string> RequiredParameters { get; } = ["CallId", "CallTime", "PoolKey"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (options.Value.RamDeniedAccessKeyIds.Contains(request.AccessKeyId, StringComparer.Ordinal))
        {
            return NumberErrors.IspRamPermissionDenied();
        }

        var poolKey = request.Required("PoolKey");
        if (CallRecordLookup.TryRead(request, clock, out var lookup) is { } invalid)
        {
            return invalid;
        }

        return store.Transact<ActionResult>(state =>
        {
            if (!state.Pools.ContainsKey(poolKey))
            {
                return BusinessError.PoolKeyNotExists();
            }

            if (lookup.TryFind(state, pool => string.Equals(pool, poolKey, StringComparison.Ordinal), out var call) is { } notFound)
            {
                return notFound;
            }

            if (call.Asr is not { } asr)
            {
                return BusinessError.ForbiddenAction("the call has no ASR result: its binding had ASRStatus off.");
            }

            return ActionResult.Ok(new ResponseBody { { "Data", AsrData(call, asr) } });
        });
    }

    private ResponseBody AsrData(CallRecord call, AsrResult asr)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(call.CallId)));
        var hour = clock.ToChina(call.CallTime).ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
        var sentences = asr.Sentences.Select(s => (object)new ResponseBody
        {
            { "EndTime", s.EndTime },
            { "SilenceDuration", s.SilenceDuration },
            { "BeginTime", s.BeginTime },
            { "Text", s.Text },
            { "ChannelId", s.ChannelId },
            { "SpeechRate", s.SpeechRate },
            { "EmotionValue", s.EmotionValue },
        }).ToList();
        return new ResponseBody
        {
            { "RequestId", digest[..38] },
            { "BusinessId", $"{digest[38..54]}@!{call.PoolKey}@!{hour}" },
            { "BusinessKey", digest[54..] },
            { "Code", AsrSuccessCode },
            { "Msg", "SUCCESS" },
            { "BizDuration", asr.BizDuration },
            { "Type", "asrResult" },
            { "Sentences", sentences },
        };
    }
}
