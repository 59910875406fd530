using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Actions.ConfirmSendSms;

/// <summary>
/// ConfirmSendSms (docs/provider-rules.md R-SMS-1): releases the SMS held for the call <c>CallId</c> on X
/// <c>SecretNo</c> in <c>PoolKey</c>, answering <c>Data: "true"</c> (a string). Documented errors (HTTP 400):
/// <c>PoolKeyNotFound</c> for an unknown pool, <c>InvalidJsonParam</c> when no held SMS matches the parameters, and
/// the content error a held SMS was seeded with (<c>SmsContentIllegal</c>, ...). An SMS held more than
/// <c>SmsConfirmWindowHours</c> (one day), or already sent, is <c>isv.FORBIDDEN_ACTION</c>.
/// </summary>
public sealed class ConfirmSendSmsHandler(
    SimulatorStore store,
    ChinaClock clock,
    IOptions<SimulatorOptions> options,
    ILogger<ConfirmSendSmsHandler> logger) : IActionHandler
{
    public string Action => "ConfirmSendSms";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "SecretNo", "CallId"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var window = TimeSpan.FromHours(options.Value.CallRecords.SmsConfirmWindowHours);
        var poolKey = request.Required("PoolKey");
        var secretNo = request.Required("SecretNo");
        var callId = request.Required("CallId");
        var error = store.Transact(state =>
        {
            if (!state.Pools.ContainsKey(poolKey))
            {
                return NumberErrors.PoolKeyNotFound();
            }

            if (state.FindCall(callId) is not { Sms: { } sms } call
                || !string.Equals(call.PoolKey, poolKey, StringComparison.Ordinal)
                || !string.Equals(call.SecretNo, secretNo, StringComparison.Ordinal))
            {
                return NumberErrors.InvalidJsonParam();
            }

            if (sms.Confirmed)
            {
                return BusinessError.ForbiddenAction("confirmSend: the SMS was already confirmed and sent.");
            }

            if (now - call.CallTime > window)
            {
                return BusinessError.ForbiddenAction("confirmSend: the SMS record expired (over one day).");
            }

            if (sms.RejectCode is { } code)
            {
                return new BusinessError(code, NumberErrors.SmsContentErrors[code]);
            }

            sms.Confirmed = true;
            return null;
        });
        if (error is not null)
        {
            return error;
        }

        NumberLog.SmsConfirmed(logger, callId, poolKey, request.RequestId);
        return ActionResult.Ok(new Responses.ResponseBody { { "Data", "true" } });
    }
}
