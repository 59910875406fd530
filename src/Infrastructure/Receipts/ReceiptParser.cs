using System.Globalization;
using System.Text.Json;
using BindingService.Application.Calls;
using BindingService.Infrastructure.Aliyun;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// Reads the provider's receipt bodies tolerantly (docs/receipts.md, 'Reading a receipt'): a body is a JSON array of
/// messages of one type (a single object is read as an array of one); unknown fields are ignored; numbers may arrive
/// as strings and strings as numbers; <c>sub_id</c> and <c>subs_id</c> (and camelCase spellings) are the same field;
/// times are China wall-clock <c>yyyy-MM-dd HH:mm:ss</c> or epoch milliseconds.
/// </summary>
internal sealed class ReceiptParser(ChinaTime chinaTime)
{
    /// <summary>The provider's message type names, as they appear in the push URL (<c>/v1/provider-receipts/{type}</c>).</summary>
    public static readonly IReadOnlyDictionary<string, ReceiptKind> Types = new Dictionary<string, ReceiptKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["SecretStartReport"] = ReceiptKind.Start,
        ["SecretRingReport"] = ReceiptKind.Ring,
        ["SecretPickUpReport"] = ReceiptKind.PickUp,
        ["SecretReport"] = ReceiptKind.Report,
        ["SecretRecording"] = ReceiptKind.Recording,
        ["SecretAsrReport"] = ReceiptKind.Asr,
        ["SecretSmsIntercept"] = ReceiptKind.SmsIntercept,
        ["SecretExceptionPhoneReport"] = ReceiptKind.NumberHealth,
    };

    /// <summary>Reads one message of <paramref name="kind"/>; null with a reason when it cannot be used.</summary>
    public CallReceipt? Read(ReceiptKind kind, string raw, out string? problem)
    {
        problem = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw);
        }
        catch (JsonException)
        {
            problem = "not JSON";
            return null;
        }

        using (document)
        {
            return Read(kind, document.RootElement, out problem);
        }
    }

    /// <summary>
    /// What the receiver needs of a message, without reading the rest: its call id and the provider's message id (the
    /// inbox's dedupe key), or why it cannot be used (then it is poison). <see cref="Read(ReceiptKind, JsonElement, out string?)"/>
    /// refuses exactly what this refuses.
    /// </summary>
    public static string? Identify(ReceiptKind kind, JsonElement m, out string? callId, out string? messageId)
    {
        callId = null;
        messageId = null;
        if (m.ValueKind != JsonValueKind.Object)
        {
            return "not a JSON object";
        }

        if (kind == ReceiptKind.NumberHealth)
        {
            return Text(m, "secretNo", "secret_no") is null || Int(m, "noStatus", "no_status") is not (0 or 1) ? "secretNo or noStatus missing" : null;
        }

        messageId = Text(m, "id");

        // An intercepted SMS has the provider's id of the SMS as call_id; should it lack one, its message id names it.
        callId = Text(m, "call_id", "callId") ?? (kind == ReceiptKind.SmsIntercept ? messageId : null);
        return callId is null ? "call_id missing" : null;
    }

    /// <summary>Reads one message of <paramref name="kind"/> already parsed; null with a reason when it cannot be used.</summary>
    public CallReceipt? Read(ReceiptKind kind, JsonElement m, out string? problem)
    {
        problem = Identify(kind, m, out var callId, out var messageId);
        if (problem is not null)
        {
            return null;
        }

        if (kind == ReceiptKind.NumberHealth)
        {
            return new CallReceipt(kind, null) { SecretNo = Text(m, "secretNo", "secret_no"), Healthy = Int(m, "noStatus", "no_status") == 1, ReportedAt = Time(m, "timestamp", "time") };
        }

        if (kind == ReceiptKind.SmsIntercept)
        {
            // The SMS text (sms_content) is deliberately not read: it never leaves the encrypted inbox payload.
            return new CallReceipt(kind, callId)
            {
                MessageId = messageId,
                PoolKey = Text(m, "pool_key", "poolKey", "partner_key", "partnerKey"),
                SubsId = Text(m, "sub_id", "subs_id", "subId", "subsId"),
                OutId = Text(m, "out_id", "outId"),
                PhoneNo = Text(m, "send_no", "sendNo"),
                SecretNo = Text(m, "secret_no", "secretNo"),
                PeerNo = Text(m, "receive_no", "receiveNo"),
                CallTime = Time(m, "start_time", "startTime", "call_time", "callTime"),
                SmsInterceptType = Text(m, "sms_intercept_type", "smsInterceptType"),
                SmsType = Int(m, "sms_type", "smsType"),
                DeliveryCode = Text(m, "code"),
            };
        }

        return new CallReceipt(kind, callId)
        {
            MessageId = messageId,
            PoolKey = Text(m, "pool_key", "poolKey", "partner_key", "partnerKey"),
            SubsId = Text(m, "sub_id", "subs_id", "subId", "subsId"),
            OutId = Text(m, "out_id", "outId"),
            PhoneNo = Text(m, "phone_no", "phoneNo", "send_no"),
            SecretNo = Text(m, "secret_no", "secretNo"),
            PeerNo = Text(m, "peer_no", "peerNo", "receive_no"),
            CallType = Int(m, "call_type", "callType"),
            CallTime = Time(m, "call_time", "callTime"),
            AnsweredAt = Time(m, "start_time", "startTime"),
            ReleasedAt = Time(m, "release_time", "releaseTime"),
            CallOutAt = Time(m, "call_out_time", "callOutTime"),
            FreeRingAt = Time(m, "free_ring_time", "freeRingTime"),
            ReleaseDirection = Int(m, "release_dir", "releaseDir"),
            UnconnectedCause = Int(m, "unconnected_cause", "unconnectedCause"),
            ReleaseCause = Int(m, "release_cause", "releaseCause"),
            ControlMessage = Text(m, "control_msg", "controlMsg"),
            AsrDurationMs = Long(m, "bizDuration", "biz_duration"),
            AsrStatus = Text(m, "statusCode", "status_code"),
            Sentences = kind == ReceiptKind.Asr ? Sentences(m) : null,
        };
    }

    private static List<TranscriptSentence> Sentences(JsonElement m)
    {
        var list = new List<TranscriptSentence>();
        if (!TryGet(m, out var sentences, "sentences") || sentences.ValueKind != JsonValueKind.Array)
        {
            return list;
        }

        foreach (var s in sentences.EnumerateArray())
        {
            if (s.ValueKind == JsonValueKind.Object)
            {
                list.Add(new TranscriptSentence(
                    Long(s, "beginTime", "begin_time") ?? 0, Long(s, "endTime", "end_time") ?? 0, Int(s, "channelId", "channel_id") ?? 0, Text(s, "text") ?? string.Empty));
            }
        }

        return list;
    }

    private static bool TryGet(JsonElement m, out JsonElement value, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (m.TryGetProperty(name, out value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>A string or a number as text; empty strings count as absent.</summary>
    private static string? Text(JsonElement m, params ReadOnlySpan<string> names)
    {
        if (!TryGet(m, out var v, names))
        {
            return null;
        }

        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    private static long? Long(JsonElement m, params ReadOnlySpan<string> names) =>
        Text(m, names) is { } text && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= long.MinValue && d <= long.MaxValue
            ? (long)d
            : null;

    private static int? Int(JsonElement m, params ReadOnlySpan<string> names) => Long(m, names) is { } l && l is >= int.MinValue and <= int.MaxValue ? (int)l : null;

    /// <summary>China wall-clock text, or epoch milliseconds (a number or digits); "0" means absent.</summary>
    private DateTimeOffset? Time(JsonElement m, params ReadOnlySpan<string> names)
    {
        if (Text(m, names) is not { } text || text == "0")
        {
            return null;
        }

        if (chinaTime.TryParse(text, out var utc))
        {
            return utc;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0)
        {
            try
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso) ? iso.ToUniversalTime() : null;
    }
}
