using System.Globalization;
using BindingService.AliyunSimulator.Calls;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Control;

/// <summary>
/// Test-only <c>POST /_sim/calls/simulate</c>: someone dials an X, and the simulator routes the call over the bindings
/// in effect on X at the call's time (docs/provider-rules.md R-BIND-7, through <see cref="CallRouter"/>), then records it with
/// <see cref="SimulatorState.RecordCall"/>, so the recording, ASR and SMS actions can be called for it.
/// A call that reached a binding is recorded with its SubsId, whether it connected or was refused; a call that matched
/// no binding (or dialled a frozen X) is recorded as an unbound call on X. Only a connected call carries a recording
/// (when the binding has <c>NeedRecord</c>, R-REC-1) and an ASR result (when it has <c>ASRStatus</c>, R-REC-4).
/// </summary>
public static class CallSimulationControl
{
    /// <summary>Length of a connected call when the body gives none.</summary>
    public const int DefaultDurationSeconds = 30;

    private const int MaxDurationSeconds = 24 * 60 * 60;

    public static RouteGroupBuilder MapCallSimulationControl(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapPost("/calls/simulate", SimulateCall);
        return group;
    }

    /// <summary>
    /// Routes and records one call. <c>200</c> with the outcome and the call record's id; <c>400</c> for a malformed
    /// body; <c>404</c> when <c>calledNo</c> is not an X number of any pool (the call never reaches the platform).
    /// </summary>
    public static IResult SimulateCall(CallSimulationRequest request, SimulatorStore store, ChinaClock clock, Receipts.ReceiptPusher pusher, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clock);
        if (Validate(request, clock, out var callTime) is { } invalid)
        {
            return TypedResults.BadRequest(new ControlError(invalid));
        }

        var attempt = new CallAttempt(request.Caller!, request.CalledNo!, string.IsNullOrEmpty(request.Extension) ? null : request.Extension);
        var duration = request.DurationSeconds ?? DefaultDurationSeconds;
        var outcome = store.Transact(state => Simulate(state, attempt, callTime, duration));
        var simulated = outcome?.Result;
        if (simulated is null)
        {
            return TypedResults.NotFound(new ControlError($"{PhoneMask.Mask(attempt.SecretNo)} is not an X number of any pool."));
        }

        CallSimulationLog.CallSimulated(
            loggerFactory.CreateLogger(typeof(CallSimulationControl).FullName!),
            simulated.CallId,
            PhoneMask.Mask(attempt.Caller),
            PhoneMask.Mask(attempt.SecretNo),
            simulated.PoolKey,
            simulated.Outcome,
            simulated.SubsId ?? "-",
            PhoneMask.Mask(simulated.CalledParty));
        ArgumentNullException.ThrowIfNull(pusher);
        pusher.CallCompleted(outcome!.Value.Facts);
        return TypedResults.Ok(simulated with { CallTime = clock.ToChina(simulated.CallTime) });
    }

    /// <summary>Runs inside the store's transaction: routes the call and records it. Null when X is no pool's number.</summary>
    private static (CallSimulationResult Result, Receipts.CallFacts Facts)? Simulate(SimulatorState state, CallAttempt attempt, DateTimeOffset callTime, int durationSeconds)
    {
        if (RouteAttempt(state, attempt, callTime) is not { } routed)
        {
            return null;
        }

        var (pool, number, route) = routed;

        var binding = route.Binding;
        var connected = route.Outcome == CallOutcome.Connected;
        var recording = connected && binding!.NeedRecord;
        var call = new NewCall(
            callTime,
            SubsId: binding?.SubsId,
            PoolKey: pool.PoolKey,
            SecretNo: number.SecretNo,
            Caller: attempt.Caller,
            Callee: route.CalledParty,
            Recording: recording,
            RingRecording: recording && !string.IsNullOrEmpty(binding!.RingConfig),
            Asr: connected && binding!.AsrStatus ? SyntheticAsr(durationSeconds) : null);
        if (state.RecordCall(call, out var record) is { } refusal)
        {
            // The call is built from the state it is recorded in, so RecordCall has no reason to refuse it.
            throw new InvalidOperationException("A simulated call could not be recorded: " + refusal);
        }

        var facts = new Receipts.CallFacts(
            record.CallId, record.CallTime, pool.PoolKey, number.SecretNo, attempt.Caller, route.CalledParty, route.Outcome,
            binding?.Snapshot(callTime), connected ? durationSeconds : 0, record.HasRecording, record.Asr);
        return (new CallSimulationResult(
            record.CallId,
            CallRouter.WireName(route.Outcome),
            route.Reason,
            record.CallTime,
            pool.PoolKey,
            number.SecretNo,
            binding?.SubsId,
            route.CalledParty,
            connected ? durationSeconds : 0,
            record.HasRecording,
            record.HasRingRecording,
            record.Asr is not null), facts);
    }

    /// <summary>
    /// Routes <paramref name="attempt"/> over the bindings in effect on its X at <paramref name="time"/> (made before it,
    /// to the second, as call times are, and not yet expired, R-UNB-2). Null when X is no pool's number. Shared by the
    /// SMS simulation: an SMS to X reaches whom a call would.
    /// </summary>
    internal static (Pool Pool, SecretNumber Number, CallRoute Route)? RouteAttempt(SimulatorState state, CallAttempt attempt, DateTimeOffset time)
    {
        if (!state.Numbers.TryGetValue(attempt.SecretNo, out var number))
        {
            return null;
        }

        var pool = state.Pools[number.PoolKey];
        var inEffect = state.ActiveBindingsOn(number.SecretNo, time)
            .Where(b => WholeSeconds(b.CreatedAt) <= time)
            .ToList();
        var route = CallRouter.Route(
            attempt,
            new RoutableNumber(pool.PoolKey, pool.Product, number.Frozen, inEffect),
            groupId => state.FindGroup(pool.PoolKey, groupId)?.Numbers,
            (caller, callee) => state.IsCallBlocked(pool.PoolKey, caller, callee));
        return (pool, number, route);
    }

    private static string? Validate(CallSimulationRequest request, ChinaClock clock, out DateTimeOffset callTime)
    {
        callTime = WholeSeconds(clock.UtcNow);
        if (!IsDigits(request.Caller, 1, 20) || !IsDigits(request.CalledNo, 1, 20))
        {
            return "caller and calledNo are required, as digits only.";
        }

        if (!string.IsNullOrEmpty(request.Extension) && !IsDigits(request.Extension, 1, 3))
        {
            return "extension must be 1-3 digits.";
        }

        if (request.DurationSeconds is < 0 or > MaxDurationSeconds)
        {
            return $"durationSeconds must be 0 to {MaxDurationSeconds}.";
        }

        if (request.CallTime is not null)
        {
            if (!TryParseCallTime(request.CallTime, clock, out var parsed))
            {
                return "callTime must be ISO 8601 with an offset (2026-03-01T10:00:00+08:00) or yyyy-MM-dd HH:mm:ss (China time).";
            }

            callTime = WholeSeconds(parsed);
        }

        return null;
    }

    /// <summary>ISO 8601 with <c>Z</c> or an offset; or the API's China wall-clock <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    internal static bool TryParseCallTime(string text, ChinaClock clock, out DateTimeOffset utc)
    {
        if (clock.TryParseBusinessTime(text, out utc))
        {
            return true;
        }

        // A time with no zone would be read in the machine's zone: refuse it rather than guess.
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var withKind) || withKind.Kind == DateTimeKind.Unspecified)
        {
            return false;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        utc = parsed.ToUniversalTime();
        return true;
    }

    /// <summary>
    /// A plausible ASR result for a connected call of <paramref name="durationSeconds"/>: the caller (channel 0) and
    /// the called party (channel 1) greet each other, within the call's length. <c>BizDuration</c> is the call's length in ms.
    /// </summary>
    private static AsrResult SyntheticAsr(int durationSeconds)
    {
        var durationMs = durationSeconds * 1000L;
        var sentences = new List<AsrSentence>();
        if (durationMs >= 2000)
        {
            sentences.Add(new AsrSentence(500, Math.Min(2000, durationMs), 0, "喂，您好。", 0, 240, "5.0"));
        }

        if (durationMs >= 4500)
        {
            sentences.Add(new AsrSentence(2500, 4500, 0, "您好，请讲。", 1, 200, "6.0"));
        }

        return new AsrResult(durationMs, sentences);
    }

    internal static bool IsDigits(string? text, int minLength, int maxLength) =>
        text is not null && text.Length >= minLength && text.Length <= maxLength && text.All(char.IsAsciiDigit);

    internal static DateTimeOffset WholeSeconds(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}

/// <summary>
/// Body of <c>POST /_sim/calls/simulate</c>: <c>caller</c> dials <c>calledNo</c> (an X), then <c>extension</c> if
/// given (AXN extension; ignored for other products). <c>callTime</c> defaults to now; <c>durationSeconds</c> is the
/// length of a connected call (default 30).
/// </summary>
public sealed record CallSimulationRequest(
    string? Caller = null,
    string? CalledNo = null,
    string? Extension = null,
    string? CallTime = null,
    int? DurationSeconds = null);

/// <summary>
/// The answer of <c>POST /_sim/calls/simulate</c> (numbers in clear: it is the provider's view). <c>subsId</c> is the
/// binding the call reached; <c>calledParty</c> the number that rang (connected calls only); <c>reason</c> explains
/// the outcome. <c>callTime</c> is the recorded time, ISO 8601 at the China offset.
/// </summary>
public sealed record CallSimulationResult(
    string CallId,
    string Outcome,
    string Reason,
    DateTimeOffset CallTime,
    string PoolKey,
    string SecretNo,
    string? SubsId,
    string? CalledParty,
    int DurationSeconds,
    bool Recording,
    bool RingRecording,
    bool Asr);

/// <summary>The log line of a simulated call (EventId 9160), every phone number masked.</summary>
internal static partial class CallSimulationLog
{
    [LoggerMessage(EventId = 9160, Level = LogLevel.Information,
        Message = "Simulated call {CallId} from {Caller} to X {SecretNo} in pool {PoolKey}: {Outcome} (binding {SubsId}, rang {CalledParty})")]
    public static partial void CallSimulated(
        ILogger logger, string callId, string caller, string secretNo, string poolKey, string outcome, string subsId, string calledParty);
}
