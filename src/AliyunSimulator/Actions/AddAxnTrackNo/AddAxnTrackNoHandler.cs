using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.AddAxnTrackNo;

/// <summary>
/// AddAxnTrackNo (docs/provider-rules.md R-LOG-1): attaches the tracking number <c>trackNo</c> (lower-case t, R-SIG-2) to
/// the AXN or AXN-extension binding named by PoolKey, PhoneNoX and SubsId. A binding of another product, or one
/// that has expired, is <c>isv.FORBIDDEN_ACTION</c>. Adding the same number twice is harmless. Success is
/// <c>Message=请求成功</c> (R-FMT-3).
/// </summary>
public sealed class AddAxnTrackNoHandler(SimulatorStore store, ChinaClock clock, ILogger<AddAxnTrackNoHandler> logger) : IActionHandler
{
    public const string RequestSucceeded = "请求成功";

    public string Action => "AddAxnTrackNo";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "PhoneNoX", "trackNo", "SubsId"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        if (SubscriptionLookup.TryRead(request, "PhoneNoX", out var lookup) is { } refused)
        {
            return refused;
        }

        var trackNo = request.Required("trackNo");
        var error = store.Transact(state =>
        {
            if (lookup.TryFind(state, out var binding) is { } notFound)
            {
                return notFound;
            }

            if (binding.Product is not (Products.Axn or Products.AxnExtension))
            {
                return BusinessError.ForbiddenAction("tracking numbers attach to AXN bindings only.");
            }

            if (!binding.IsActiveAt(now))
            {
                return BusinessError.ForbiddenAction("the binding has expired.");
            }

            if (!binding.TrackNos.Contains(trackNo, StringComparer.Ordinal))
            {
                binding.TrackNos.Add(trackNo);
            }

            return (BusinessError?)null;
        });

        if (error is not null)
        {
            return error;
        }

        SimulatorLog.TrackNoAdded(logger, PhoneMask.MaskDigitRuns(trackNo), lookup.SubsId, request.RequestId);
        return ActionResult.Ok(RequestSucceeded);
    }
}
