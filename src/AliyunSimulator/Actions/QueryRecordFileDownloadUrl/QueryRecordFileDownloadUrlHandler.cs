using BindingService.AliyunSimulator.Actions.CallRecords;
using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Actions.QueryRecordFileDownloadUrl;

/// <summary>
/// QueryRecordFileDownloadUrl (docs/provider-rules.md R-REC-1, R-REC-2): the call recording's <c>DownloadUrl</c>, valid
/// for 2 hours (<c>Expires</c>), for calls in the last 14 days. <c>PoolKey</c> or, for legacy callers,
/// <c>ProductType</c> (the call's pool must be of that product) is required (<c>MissingPoolKey</c> otherwise).
/// A call without a recording (its binding did not record) or older than the retention is <c>isv.FORBIDDEN_ACTION</c>.
/// </summary>
public sealed class QueryRecordFileDownloadUrlHandler(SimulatorStore store, ChinaClock clock, IOptions<SimulatorOptions> options) : IActionHandler
{
    public string Action => "QueryRecordFileDownloadUrl";

    public IReadOnlyList<string> RequiredParameters { get; } = ["CallId", "CallTime"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var settings = options.Value.CallRecords;
        var poolKey = request.Optional("PoolKey");
        var productType = request.Optional("ProductType");
        if (poolKey is null && productType is null)
        {
            return ActionResult.Missing("PoolKey");
        }

        string? product = null;
        if (productType is not null && !ParameterRules.ProductTypes.TryGetValue(productType, out product))
        {
            return BusinessError.InvalidParameters("ProductType must be AXB_170, AXN_170, AXN_95 or AXN_EXTENSION_REUSE.");
        }

        if (CallRecordLookup.TryRead(request, clock, out var lookup) is { } invalid)
        {
            return invalid;
        }

        return store.Transact<ActionResult>(state =>
        {
            if (poolKey is not null && !state.Pools.ContainsKey(poolKey))
            {
                return BusinessError.PoolKeyNotExists();
            }

            bool InScope(string callPool) =>
                (poolKey is null || string.Equals(callPool, poolKey, StringComparison.Ordinal))
                && (product is null || string.Equals(state.Pools.GetValueOrDefault(callPool)?.Product, product, StringComparison.OrdinalIgnoreCase));

            if (lookup.TryFind(state, InScope, out var call) is { } notFound)
            {
                return notFound;
            }

            if (CallRecordLookup.CheckRetention(call, settings.RetentionDays, now) is { } gone)
            {
                return gone;
            }

            if (!call.HasRecording)
            {
                return BusinessError.ForbiddenAction("the call has no recording: its binding does not record calls.");
            }

            return ActionResult.Ok(new ResponseBody { { "DownloadUrl", RecordingUrls.Call(call, settings, now) } });
        });
    }
}
