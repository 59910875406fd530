using BindingService.AliyunSimulator.Calls;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.Receipts;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Control;

/// <summary>
/// Test-only <c>POST /_sim/sms/simulate</c> (docs/simulator.md, 'Simulating an intercepted SMS'): someone sends an SMS
/// to an X of a pool in SMS interception mode. The SMS reaches whom a call would (<see cref="CallSimulationControl.RouteAttempt"/>);
/// the platform holds it (a call record with a held SMS, so ConfirmSendSms can release it) and, when receipts are
/// pushed, sends its SecretSmsIntercept receipt.
/// </summary>
public static class SmsSimulationControl
{
    public static RouteGroupBuilder MapSmsSimulationControl(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapPost("/sms/simulate", SimulateSms);
        return group;
    }

    /// <summary><c>200</c> with the held SMS's id and why it was held; <c>400</c> for a malformed body; <c>404</c> when <c>calledNo</c> is no pool's X.</summary>
    public static IResult SimulateSms(SmsSimulationRequest request, SimulatorStore store, ChinaClock clock, ReceiptPusher pusher)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(pusher);
        if (Validate(request, clock, out var sentAt) is { } invalid)
        {
            return TypedResults.BadRequest(new ControlError(invalid));
        }

        var attempt = new CallAttempt(request.Sender!, request.CalledNo!, string.IsNullOrEmpty(request.Extension) ? null : request.Extension);
        var simulated = store.Transact(state => Simulate(state, attempt, sentAt, request.Content));
        if (simulated is null)
        {
            return TypedResults.NotFound(new ControlError($"{PhoneMask.Mask(attempt.SecretNo)} is not an X number of any pool."));
        }

        pusher.SmsIntercepted(simulated.Value.Facts);
        return TypedResults.Ok(simulated.Value.Result with { SentAt = clock.ToChina(simulated.Value.Result.SentAt) });
    }

    /// <summary>The provider's sms_intercept_type for a routing outcome ([sim]: blacklists and restrictions both CONTROL_DISABLE).</summary>
    public static string InterceptType(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Connected => "NORMAL",
        CallOutcome.NoBinding => "SUBS_NOT_EXISTS",
        CallOutcome.Restricted or CallOutcome.Blacklisted => "CONTROL_DISABLE",
        _ => "CALLED_NOT_EXISTS",
    };

    private static (SmsSimulationResult Result, SmsFacts Facts)? Simulate(SimulatorState state, CallAttempt attempt, DateTimeOffset sentAt, string? content)
    {
        if (CallSimulationControl.RouteAttempt(state, attempt, sentAt) is not { } routed)
        {
            return null;
        }

        var (pool, number, route) = routed;
        var binding = route.Binding;
        var held = new NewCall(
            sentAt, SubsId: binding?.SubsId, PoolKey: pool.PoolKey, SecretNo: number.SecretNo, Caller: attempt.Caller, Callee: route.CalledParty,
            Sms: new SmsDraft(content, null));
        if (state.RecordCall(held, out var record) is { } refusal)
        {
            throw new InvalidOperationException("A simulated SMS could not be recorded: " + refusal);
        }

        var interceptType = InterceptType(route.Outcome);
        var facts = new SmsFacts(record.CallId, record.CallTime, pool.PoolKey, number.SecretNo, attempt.Caller, route.CalledParty, interceptType, binding?.Snapshot(sentAt), content);
        var result = new SmsSimulationResult(
            record.CallId, CallRouter.WireName(route.Outcome), interceptType, route.Reason, record.CallTime, pool.PoolKey, number.SecretNo, binding?.SubsId, route.CalledParty);
        return (result, facts);
    }

    private static string? Validate(SmsSimulationRequest request, ChinaClock clock, out DateTimeOffset sentAt)
    {
        sentAt = CallSimulationControl.WholeSeconds(clock.UtcNow);
        if (!CallSimulationControl.IsDigits(request.Sender, 1, 20) || !CallSimulationControl.IsDigits(request.CalledNo, 1, 20))
        {
            return "sender and calledNo are required, as digits only.";
        }

        if (!string.IsNullOrEmpty(request.Extension) && !CallSimulationControl.IsDigits(request.Extension, 1, 3))
        {
            return "extension must be 1-3 digits.";
        }

        if (request.Content is { Length: > 500 })
        {
            return "content must be at most 500 characters.";
        }

        if (request.SentAt is not null)
        {
            if (!CallSimulationControl.TryParseCallTime(request.SentAt, clock, out var parsed))
            {
                return "sentAt must be ISO 8601 with an offset (2026-03-01T10:00:00+08:00) or yyyy-MM-dd HH:mm:ss (China time).";
            }

            sentAt = CallSimulationControl.WholeSeconds(parsed);
        }

        return null;
    }
}

/// <summary>Body of <c>POST /_sim/sms/simulate</c>: <c>sender</c> texts <c>calledNo</c> (an X; <c>extension</c> for AXN extension), at <c>sentAt</c> (default now).</summary>
public sealed record SmsSimulationRequest(
    string? Sender = null,
    string? CalledNo = null,
    string? Extension = null,
    string? SentAt = null,
    string? Content = null);

/// <summary>
/// The answer of <c>POST /_sim/sms/simulate</c> (numbers in clear: the provider's view). <c>callId</c> is the held SMS's
/// id (ConfirmSendSms takes it); <c>outcome</c> how a call would have been routed; <c>interceptType</c> the receipt's.
/// </summary>
public sealed record SmsSimulationResult(
    string CallId,
    string Outcome,
    string InterceptType,
    string Reason,
    DateTimeOffset SentAt,
    string PoolKey,
    string SecretNo,
    string? SubsId,
    string? Recipient);
