using System.Globalization;
using BindingService.AliyunSimulator.Calls;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Receipts;

/// <summary>
/// The receipts the provider sends after a simulated call, with the provider's field names (docs/simulator.md,
/// 'Receipts'), in the order the provider sends them: SecretStartReport, SecretReport, then SecretRecording (a
/// recorded, answered call) and SecretAsrReport (ASR on). <c>phone_no</c> is the binding's A; <c>call_type</c> 0 when A
/// called, 1 when the other side called A. A call that reached no binding carries <c>control_msg</c> NO_SUBS_EXIST
/// and <c>unconnected_cause</c> 2, with the caller as <c>phone_no</c>. A connected call of 0 seconds rang and was not
/// answered (no <c>start_time</c>, release cause 19).
/// </summary>
public static class CallReceipts
{
    /// <summary>Seconds between the call reaching X and the called party answering.</summary>
    public const int RingSeconds = 5;

    public static IReadOnlyList<ReceiptBatch> For(CallFacts call, ChinaClock clock)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(clock);
        var b = call.Binding;
        var answered = call.Outcome == CallOutcome.Connected && call.DurationSeconds > 0;
        var callerIsA = b is not null && string.Equals(call.Caller, b.PhoneNoA, StringComparison.Ordinal);
        var phoneNo = b?.PhoneNoA ?? call.Caller;
        var peerNo = b is null ? string.Empty : callerIsA ? call.CalledParty ?? b.PhoneNoB ?? string.Empty : call.Caller;
        var callType = b is null || callerIsA ? 0 : 1;
        var unconnected = call.Outcome switch
        {
            CallOutcome.Connected => 0,
            CallOutcome.Blacklisted => 1,
            CallOutcome.NoBinding => 2,
            CallOutcome.Restricted => 3,
            _ => 4,
        };
        var time = clock.Format(call.CallTime);
        var callOut = clock.Format(call.CallTime.AddSeconds(1));
        var answerAt = call.CallTime.AddSeconds(RingSeconds);
        var releaseAt = answered ? answerAt.AddSeconds(call.DurationSeconds) : call.CallTime.AddSeconds(call.Outcome == CallOutcome.Connected ? 30 : 1);
        var common = new Dictionary<string, object?>
        {
            ["pool_key"] = call.PoolKey,
            ["sub_id"] = b?.SubsId ?? string.Empty,
            ["call_id"] = call.CallId,
            ["phone_no"] = phoneNo,
            ["secret_no"] = call.SecretNo,
            ["peer_no"] = peerNo,
            ["called_display_no"] = call.SecretNo,
            ["call_type"] = callType,
            ["call_time"] = time,
            ["out_id"] = b?.OutId ?? string.Empty,
            ["partner_key"] = call.PoolKey,
            ["city"] = string.Empty,
            ["unconnected_cause"] = unconnected,
            ["control_msg"] = b is null ? "NO_SUBS_EXIST" : string.Empty,
            ["control_type"] = call.Outcome == CallOutcome.Connected ? "CONTINUE" : "REJECT",
        };

        var batches = new List<ReceiptBatch>
        {
            new("SecretStartReport", call.CallId, [new Dictionary<string, object?>(common) { ["id"] = Id(call, 1) }]),
        };

        var report = new Dictionary<string, object?>(common)
        {
            ["id"] = Id(call, 2),
            ["record_url"] = string.Empty,
            ["ring_record_url"] = string.Empty,
            ["start_time"] = answered ? clock.Format(answerAt) : string.Empty,
            ["call_out_time"] = callOut,
            ["ring_time"] = call.Outcome == CallOutcome.Connected ? callOut : string.Empty,
            ["free_ring_time"] = call.Outcome == CallOutcome.Connected ? clock.Format(call.CallTime.AddSeconds(2)) : string.Empty,
            ["release_time"] = clock.Format(releaseAt),
            ["sms_number"] = "0",
            ["release_dir"] = call.Outcome == CallOutcome.Connected ? 1 : 0,
            ["release_cause"] = answered ? 16 : call.Outcome == CallOutcome.Connected ? 19 : 21,
            ["extension"] = b?.Extension ?? string.Empty,
        };
        batches.Add(new("SecretReport", call.CallId, [report]));

        if (answered && call.Recording)
        {
            batches.Add(new("SecretRecording", call.CallId,
            [
                new Dictionary<string, object?>
                {
                    ["pool_key"] = call.PoolKey,
                    ["sub_id"] = b?.SubsId,
                    ["call_id"] = call.CallId,
                    ["call_time"] = call.CallTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                    ["out_id"] = b?.OutId ?? string.Empty,
                },
            ]));
        }

        if (answered && call.Asr is { } asr)
        {
            batches.Add(new("SecretAsrReport", call.CallId,
            [
                new Dictionary<string, object?>
                {
                    ["callId"] = call.CallId,
                    ["bizDuration"] = asr.BizDuration,
                    ["partnerKey"] = call.PoolKey,
                    ["secretNo"] = call.SecretNo,
                    ["statusCode"] = "21050000",
                    ["sentences"] = asr.Sentences.Select(s => new Dictionary<string, object?>
                    {
                        ["beginTime"] = s.BeginTime,
                        ["endTime"] = s.EndTime,
                        ["channelId"] = s.ChannelId,
                        ["text"] = s.Text,
                        ["silenceDuration"] = s.SilenceDuration,
                        ["speechRate"] = s.SpeechRate,
                        ["emotionValue"] = s.EmotionValue,
                    }).ToList(),
                },
            ]));
        }

        return batches;
    }

    /// <summary>
    /// The SecretSmsIntercept receipt of an intercepted SMS: <c>send_no</c> the sender, <c>receive_no</c> whom it would
    /// reach (empty when no one), <c>sms_content</c> the text, <c>sms_intercept_type</c> why it was held.
    /// </summary>
    public static ReceiptBatch ForSms(SmsFacts sms, ChinaClock clock)
    {
        ArgumentNullException.ThrowIfNull(sms);
        ArgumentNullException.ThrowIfNull(clock);
        var b = sms.Binding;
        return new ReceiptBatch("SecretSmsIntercept", sms.CallId,
        [
            new Dictionary<string, object?>
            {
                ["id"] = string.Create(CultureInfo.InvariantCulture, $"{sms.CallId}-sms"),
                ["partner_key"] = sms.PoolKey,
                ["pool_key"] = sms.PoolKey,
                ["out_id"] = b?.OutId ?? string.Empty,
                ["sub_id"] = b?.SubsId ?? string.Empty,
                ["sms_type"] = 1,
                ["send_no"] = sms.Sender,
                ["secret_no"] = sms.SecretNo,
                ["receive_no"] = sms.Recipient ?? string.Empty,
                ["sms_content"] = sms.Content ?? string.Empty,
                ["sms_sign"] = string.Empty,
                ["sms_intercept_type"] = sms.InterceptType,
                ["call_id"] = sms.CallId,
                ["code"] = "ACCEPTD",
                ["start_time"] = clock.Format(sms.SentAt),
            },
        ]);
    }

    private static string Id(CallFacts call, int n) => string.Create(CultureInfo.InvariantCulture, $"{call.CallId}-{n}");
}

/// <summary>What the receipts of one simulated call are built from (numbers in clear: it is the provider).</summary>
public sealed record CallFacts(
    string CallId,
    DateTimeOffset CallTime,
    string PoolKey,
    string SecretNo,
    string Caller,
    string? CalledParty,
    CallOutcome Outcome,
    BindingSnapshot? Binding,
    int DurationSeconds,
    bool Recording,
    AsrResult? Asr);

/// <summary>What the SecretSmsIntercept receipt of one simulated SMS is built from (numbers and text in clear: it is the provider).</summary>
public sealed record SmsFacts(
    string CallId,
    DateTimeOffset SentAt,
    string PoolKey,
    string SecretNo,
    string Sender,
    string? Recipient,
    string InterceptType,
    BindingSnapshot? Binding,
    string? Content);

/// <summary>One push: a JSON array of messages of one type, about one call.</summary>
public sealed record ReceiptBatch(string Type, string CallId, IReadOnlyList<Dictionary<string, object?>> Messages);
