using BindingService.AliyunSimulator.Actions.AddAxnTrackNo;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.QueryPhoneNoAByTrackNo;

/// <summary>
/// QueryPhoneNoAByTrackNo (docs/provider-rules.md R-QRY-3): <c>Module[]</c> of <c>{Extension?, PhoneNoX, PhoneNoA}</c>
/// for the bindings in effect that <c>trackNo</c> was attached to, in creation order, narrowed to
/// <c>PhoneNoX</c> when it is given. <c>CabinetNo</c> is accepted but filters nothing: no action stores one. An
/// unknown tracking number answers an empty <c>Module</c>. Success is <c>Message=请求成功</c> (R-FMT-3).
/// </summary>
public sealed class QueryPhoneNoAByTrackNoHandler(SimulatorStore store, ChinaClock clock) : IActionHandler
{
    public string Action => "QueryPhoneNoAByTrackNo";

    public IReadOnlyList<string> RequiredParameters { get; } = ["trackNo"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var trackNo = request.Required("trackNo");
        var phoneNoX = request.Optional("PhoneNoX");
        var found = store.Transact(state => state.BindingsWithTrackNo(trackNo)
            .Where(b => b.IsActiveAt(now) && (phoneNoX is null || string.Equals(b.SecretNo, phoneNoX, StringComparison.Ordinal)))
            .Select(b => (object)new ResponseBody { { "Extension", b.Extension }, { "PhoneNoX", b.SecretNo }, { "PhoneNoA", b.PhoneNoA } })
            .ToList());
        return ActionResult.Ok(AddAxnTrackNoHandler.RequestSucceeded, new ResponseBody { { "Module", found } });
    }
}
