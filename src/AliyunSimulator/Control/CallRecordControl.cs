using BindingService.AliyunSimulator.Actions;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Control;

/// <summary>
/// Test-only control endpoints that seed what no API creates: call records, recordings, ASR results, intercepted
/// SMS (docs/provider-rules.md, 'Recordings, ASR and SMS'). <c>POST /_sim/calls</c> records a call through <see cref="SimulatorState.RecordCall"/>,
/// the same method the call simulation (POST /_sim/calls/simulate) uses, so the rules hold for seeded calls too (R-REC-1, R-REC-4).
/// </summary>
public static class CallRecordControl
{
    public static RouteGroupBuilder MapCallRecordControl(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapPost("/calls", AddCall);
        group.MapGet("/calls", ListCalls);
        return group;
    }

    /// <summary>
    /// Records a call. <c>201</c> with the call (its <c>callId</c> generated unless given); <c>400</c> for a malformed
    /// body (bad <c>callTime</c>, an SMS <c>rejectCode</c> that is not a documented content error); <c>409</c> when the
    /// state refuses it (unknown binding, a recording on a binding that does not record, ASR on one with ASRStatus off, ...).
    /// </summary>
    public static IResult AddCall(CallSeed seed, SimulatorStore store, ChinaClock clock, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var callTime = clock.UtcNow;
        if (seed.CallTime is not null && !clock.TryParseBusinessTime(seed.CallTime, out callTime))
        {
            return TypedResults.BadRequest(new ControlError("callTime must be yyyy-MM-dd HH:mm:ss (China time)."));
        }

        if (seed.Sms?.RejectCode is { } code && !NumberErrors.SmsContentErrors.ContainsKey(code))
        {
            return TypedResults.BadRequest(new ControlError(
                "sms.rejectCode must be one of " + string.Join(", ", NumberErrors.SmsContentErrors.Keys) + "."));
        }

        var asr = seed.Asr is null ? null : ToAsrResult(seed.Asr);
        var call = new NewCall(
            callTime,
            seed.SubsId,
            seed.PoolKey,
            seed.SecretNo,
            seed.CallId,
            seed.Caller,
            seed.Callee,
            seed.Recording,
            seed.RingRecording,
            asr,
            seed.Sms is null ? null : new SmsDraft(seed.Sms.Content, seed.Sms.RejectCode));
        var (refusal, recorded) = store.Transact(s => (s.RecordCall(call, out var r), r));
        if (refusal is not null)
        {
            return TypedResults.Conflict(new ControlError("The call cannot be recorded: " + refusal));
        }

        NumberLog.CallRecorded(
            loggerFactory.CreateLogger(typeof(CallRecordControl).FullName!), recorded.CallId, recorded.PoolKey, PhoneMask.Mask(recorded.SecretNo));
        return TypedResults.Created($"/_sim/calls/{recorded.CallId}", CallView.From(recorded, clock));
    }

    /// <summary>Every call record, in the order recorded.</summary>
    public static IResult ListCalls(SimulatorStore store, ChinaClock clock) =>
        TypedResults.Ok(store.Transact(s => s.Calls.Select(c => CallView.From(c, clock)).ToList()));

    private static AsrResult ToAsrResult(AsrSeed seed)
    {
        var sentences = (seed.Sentences ?? []).Select(s => new AsrSentence(
            s.BeginTime, s.EndTime, s.SilenceDuration, s.Text, s.ChannelId, s.SpeechRate, s.EmotionValue ?? "5.0")).ToList();
        return new AsrResult(seed.BizDuration ?? sentences.Select(s => s.EndTime).DefaultIfEmpty(0).Max(), sentences);
    }
}

/// <summary>
/// Body of <c>POST /_sim/calls</c>. Either <c>subsId</c> (the call's binding; its pool and X are used) or
/// <c>poolKey</c> and <c>secretNo</c>. <c>callTime</c> is China <c>yyyy-MM-dd HH:mm:ss</c>, default now.
/// </summary>
public sealed record CallSeed(
    string? SubsId = null,
    string? PoolKey = null,
    string? SecretNo = null,
    string? CallId = null,
    string? CallTime = null,
    string? Caller = null,
    string? Callee = null,
    bool Recording = false,
    bool RingRecording = false,
    AsrSeed? Asr = null,
    SmsSeed? Sms = null);

/// <summary>An ASR result to seed; <c>bizDuration</c> defaults to the last sentence's end.</summary>
public sealed record AsrSeed(long? BizDuration = null, List<AsrSentenceSeed>? Sentences = null);

public sealed record AsrSentenceSeed(
    string Text,
    long BeginTime = 0,
    long EndTime = 0,
    long SilenceDuration = 0,
    int ChannelId = 0,
    int SpeechRate = 0,
    string? EmotionValue = null);

/// <summary>A held SMS to seed; <c>rejectCode</c> makes ConfirmSendSms answer that documented content error.</summary>
public sealed record SmsSeed(string? Content = null, string? RejectCode = null);

/// <summary>A call record as the control API shows it (numbers in clear; times ISO 8601 at the China offset).</summary>
public sealed record CallView(
    string CallId,
    DateTimeOffset CallTime,
    string PoolKey,
    string SecretNo,
    string? SubsId,
    string? Caller,
    string? Callee,
    bool Recording,
    bool RingRecording,
    bool Asr,
    SmsView? Sms)
{
    public static CallView From(CallRecord c, ChinaClock clock)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(clock);
        return new(
            c.CallId, clock.ToChina(c.CallTime), c.PoolKey, c.SecretNo, c.SubsId, c.Caller, c.Callee, c.HasRecording, c.HasRingRecording,
            c.Asr is not null, c.Sms is null ? null : new SmsView(c.Sms.Content, c.Sms.RejectCode, c.Sms.Confirmed));
    }
}

public sealed record SmsView(string? Content, string? RejectCode, bool Confirmed);
