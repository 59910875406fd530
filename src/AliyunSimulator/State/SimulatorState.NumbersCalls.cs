using System.Globalization;

namespace BindingService.AliyunSimulator.State;

/// <summary>
/// Call records (docs/provider-rules.md, 'Recordings, ASR and SMS'): what a call left behind (recording, ring recording, ASR result, a held
/// SMS). No API creates them: the call simulation (<c>POST /_sim/calls/simulate</c>) calls <see cref="RecordCall"/>, and tests seed
/// them through <c>POST /_sim/calls</c>.
/// </summary>
public sealed partial class SimulatorState
{
    // Not reset by a reset, so a CallId is never handed out twice by one simulator.
    private const long FirstCallId = 0x5EED_0000_0000_0001;

    private readonly Dictionary<string, CallRecord> calls = new(StringComparer.Ordinal);
    private long lastCallId = FirstCallId - 1;

    /// <summary>Every call record, in the order recorded.</summary>
    public IEnumerable<CallRecord> Calls => calls.Values;

    public CallRecord? FindCall(string callId) => calls.GetValueOrDefault(callId);

    /// <summary>
    /// Records a call. With a <see cref="NewCall.SubsId"/> the call belongs to that binding (its pool and X are
    /// used); a recording needs the binding's <c>IsRecordingEnabled</c> (R-REC-1) and an ASR result its
    /// <c>ASRStatus</c> (R-REC-4). Without one, the call names a pool and one of its X numbers, and can carry
    /// only a held SMS. Returns why the call cannot be recorded, or null with the record.
    /// </summary>
    public string? RecordCall(NewCall call, out CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(call);
        record = null!;
        string poolKey;
        string secretNo;
        if (call.SubsId is not null)
        {
            if (FindBinding(call.SubsId) is not { } binding)
            {
                return "no binding has this SubsId.";
            }

            if ((call.PoolKey is not null && !string.Equals(call.PoolKey, binding.PoolKey, StringComparison.Ordinal))
                || (call.SecretNo is not null && !string.Equals(call.SecretNo, binding.SecretNo, StringComparison.Ordinal)))
            {
                return "PoolKey or SecretNo does not match the binding.";
            }

            if (call.Recording && !binding.NeedRecord)
            {
                return "the binding does not record its calls (IsRecordingEnabled is false, R-REC-1).";
            }

            if (call.Asr is not null && !binding.AsrStatus)
            {
                return "the binding has ASR off (ASRStatus is false, R-REC-4).";
            }

            (poolKey, secretNo) = (binding.PoolKey, binding.SecretNo);
        }
        else
        {
            if (call.PoolKey is null || call.SecretNo is null || FindNumber(call.PoolKey, call.SecretNo) is null)
            {
                return "without a SubsId, give a PoolKey and one of its X numbers.";
            }

            if (call.Recording || call.Asr is not null)
            {
                return "a recording or an ASR result needs the call's binding (SubsId), whose settings decide them (R-REC-1, R-REC-4).";
            }

            (poolKey, secretNo) = (call.PoolKey, call.SecretNo);
        }

        var callId = call.CallId ?? (++lastCallId).ToString("x16", CultureInfo.InvariantCulture);
        if (calls.ContainsKey(callId))
        {
            return "a call with this CallId already exists.";
        }

        record = new CallRecord(
            callId,
            new DateTimeOffset(call.CallTime.UtcTicks - (call.CallTime.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
            poolKey,
            secretNo,
            call.SubsId,
            call.Caller,
            call.Callee,
            call.Recording,
            call.RingRecording,
            call.Asr,
            call.Sms is null ? null : new HeldSms(call.Sms.Content, call.Sms.RejectCode));
        calls.Add(callId, record);
        return null;
    }

    private void ResetCallRecords() => calls.Clear();
}

/// <summary>What a call simulation (or a test) reports about a call; see <see cref="SimulatorState.RecordCall"/>.</summary>
public sealed record NewCall(
    DateTimeOffset CallTime,
    string? SubsId = null,
    string? PoolKey = null,
    string? SecretNo = null,
    string? CallId = null,
    string? Caller = null,
    string? Callee = null,
    bool Recording = false,
    bool RingRecording = false,
    AsrResult? Asr = null,
    SmsDraft? Sms = null);

/// <summary>An SMS the platform held for confirmation; <see cref="RejectCode"/> is the documented error ConfirmSendSms answers with, if any.</summary>
public sealed record SmsDraft(string? Content, string? RejectCode);

/// <summary>
/// A recorded call. <see cref="CallTime"/> is UTC to the second (the wire carries China time, B.1); the ring
/// recording is the ring-back/announcement one GetTotalPublicUrl returns beside the call recording (R-REC-3).
/// </summary>
public sealed record CallRecord(
    string CallId,
    DateTimeOffset CallTime,
    string PoolKey,
    string SecretNo,
    string? SubsId,
    string? Caller,
    string? Callee,
    bool HasRecording,
    bool HasRingRecording,
    AsrResult? Asr,
    HeldSms? Sms);

/// <summary>An ASR result (R-REC-4): total recognised duration in ms, and the sentences.</summary>
public sealed record AsrResult(long BizDuration, IReadOnlyList<AsrSentence> Sentences);

/// <summary>One recognised sentence: offsets in ms, SilenceDuration as documented (seconds, not converted), EmotionValue a string in 1–10.</summary>
public sealed record AsrSentence(long BeginTime, long EndTime, long SilenceDuration, string Text, int ChannelId, int SpeechRate, string EmotionValue);

/// <summary>A held SMS (R-SMS-1). Mutable: ConfirmSendSms marks it sent.</summary>
public sealed class HeldSms(string? content, string? rejectCode)
{
    public string? Content { get; } = content;

    public string? RejectCode { get; } = rejectCode;

    public bool Confirmed { get; set; }
}
