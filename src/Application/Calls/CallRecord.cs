using BindingService.Contracts;
using BindingService.Domain.Common;

namespace BindingService.Application.Calls;

/// <summary>
/// What we know about one call, merged from its receipts in whatever order they arrive, and which of its events have
/// been published. The rules (docs/receipts.md, 'Processing'):
/// <list type="number">
/// <item>Each receipt only adds what it knows (<see cref="Apply"/>); a duplicate adds nothing, so applying a
/// receipt twice changes nothing.</item>
/// <item>Events follow the call, not the receipts: CallStarted, then CallEnded, then RecordingReady and
/// TranscriptReady (<see cref="DueEvents"/>). A SecretReport arriving before its SecretStartReport yields CallStarted
/// and CallEnded at once; the late SecretStartReport yields nothing. A recording or transcript arriving before the
/// call record waits for it.</item>
/// <item>A call that reached X with no binding of ours in effect yields one CallToUnboundNumber and nothing else.</item>
/// </list>
/// Phone numbers are kept masked only.
/// </summary>
public sealed class CallRecord
{
    public required string CallId { get; init; }

    public string? PoolKey { get; set; }

    public string? SecretNo { get; set; }

    public string? SubsId { get; set; }

    public Guid? BindingId { get; set; }

    public string? CallerId { get; set; }

    public string? BusinessLine { get; set; }

    public string? OrderId { get; set; }

    /// <summary>fromPartyA, toPartyA, intercepted or unknown.</summary>
    public string Direction { get; set; } = "unknown";

    public string? CallerMasked { get; set; }

    public string? CalleeMasked { get; set; }

    public DateTimeOffset? CallTime { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public bool Rang { get; set; }

    public int? ReleaseDirection { get; set; }

    public int? ReleaseCause { get; set; }

    public int? UnconnectedCause { get; set; }

    /// <summary>Why the call reached no binding of ours (noSubsExist, noBinding, bindingEnded), or null.</summary>
    public string? UnboundReason { get; set; }

    public bool Started { get; set; }

    public bool Reported { get; set; }

    public bool HasRecording { get; set; }

    /// <summary>The transcript's sentences as JSON (stored by the ASR receipt or fetched on demand).</summary>
    public string? Transcript { get; set; }

    public long? TranscriptDurationMs { get; set; }

    public int TranscriptSentences { get; set; }

    /// <summary>Which events have been published (bit flags of <see cref="Published"/>).</summary>
    public int PublishedEvents { get; set; }

    /// <summary>The last download URL the provider gave for the recording, and when it expires.</summary>
    public string? RecordingUrl { get; set; }

    public DateTimeOffset? RecordingUrlExpiresAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Whether the called party answered; null while the call record has not arrived.</summary>
    public bool? Connected => Reported ? AnsweredAt is not null : null;

    /// <summary>How long the call lasted once answered, in whole seconds.</summary>
    public int DurationSeconds => AnsweredAt is { } a && EndedAt is { } e && e > a ? (int)(e - a).TotalSeconds : 0;

    /// <summary>Merges a receipt of this call. <paramref name="binding"/> is the call's binding, when one is known.</summary>
    public void Apply(CallReceipt receipt, CallBinding? binding, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        PoolKey ??= receipt.PoolKey;
        SecretNo ??= receipt.SecretNo;
        SubsId ??= string.IsNullOrEmpty(receipt.SubsId) ? null : receipt.SubsId;
        CallTime ??= receipt.CallTime;
        UpdatedAt = now;
        if (binding is not null && BindingId is null)
        {
            (BindingId, CallerId, BusinessLine, OrderId) = (binding.BindingId, binding.CallerId, binding.BusinessLine, binding.OrderId);
        }

        switch (receipt.Kind)
        {
            case ReceiptKind.Start:
                Started = true;
                ApplyParties(receipt);
                DecideBound(receipt, binding);
                break;
            case ReceiptKind.Ring:
                Rang = true;
                ApplyParties(receipt);
                break;
            case ReceiptKind.PickUp:
                Rang = true;
                AnsweredAt ??= receipt.AnsweredAt;
                ApplyParties(receipt);
                break;
            case ReceiptKind.Report:
                Reported = true;
                ApplyParties(receipt);
                AnsweredAt ??= receipt.AnsweredAt;
                EndedAt ??= receipt.ReleasedAt;
                ReleaseDirection ??= receipt.ReleaseDirection;
                ReleaseCause ??= receipt.ReleaseCause;
                UnconnectedCause ??= receipt.UnconnectedCause;
                Rang |= receipt.AnsweredAt is not null || (receipt.FreeRingAt is { } ring && receipt.CallOutAt is { } callOut && ring > callOut);
                DecideBound(receipt, binding);
                break;
            case ReceiptKind.Recording:
                HasRecording = true;
                break;
            case ReceiptKind.Asr:
                if (receipt.Sentences is { } sentences && (receipt.AsrStatus is null || receipt.AsrStatus == AsrOk))
                {
                    SetTranscript(sentences, receipt.AsrDurationMs);
                }

                break;
            default:
                break;
        }
    }

    /// <summary>The ASR status code of a complete transcript.</summary>
    public const string AsrOk = "21050000";

    public void SetTranscript(IReadOnlyList<TranscriptSentence> sentences, long? durationMs)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        Transcript = System.Text.Json.JsonSerializer.Serialize(sentences, TranscriptJson);
        TranscriptSentences = sentences.Count;
        TranscriptDurationMs = durationMs ?? (sentences.Count == 0 ? 0 : sentences.Max(s => s.EndMs));
    }

    public IReadOnlyList<TranscriptSentence> ReadTranscript() =>
        Transcript is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<TranscriptSentence>>(Transcript, TranscriptJson) ?? [];

    private static readonly System.Text.Json.JsonSerializerOptions TranscriptJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>The events now due, in the call's order; each is marked published (it goes to the outbox in the same save).</summary>
    public IReadOnlyList<ICallEvent> DueEvents(DateTimeOffset now, TimeSpan recordingRetention)
    {
        var due = new List<ICallEvent>();
        if (!Started && !Reported)
        {
            return due; // a recording or transcript alone waits for its call
        }

        var secretNo = SecretNo ?? string.Empty;
        var callTime = CallTime ?? now;
        if (UnboundReason is not null)
        {
            if (Take(Published.Unbound))
            {
                due.Add(new CallToUnboundNumber(
                    NewId(now, due.Count), CallId, BindingId, CallerId, BusinessLine, OrderId, now, CallerMasked ?? string.Empty, secretNo, PoolKey, callTime, UnboundReason));
            }

            return due;
        }

        if (Take(Published.Started))
        {
            due.Add(new CallStarted(NewId(now, due.Count), CallId, BindingId, CallerId, BusinessLine, OrderId, now, Direction, CallerMasked ?? string.Empty, CalleeMasked, secretNo, PoolKey, callTime));
        }

        if (!Reported)
        {
            return due;
        }

        if (Take(Published.Ended))
        {
            due.Add(new CallEnded(
                NewId(now, due.Count), CallId, BindingId, CallerId, BusinessLine, OrderId, now, Direction, CallerMasked ?? string.Empty, CalleeMasked, secretNo,
                callTime, AnsweredAt, EndedAt, DurationSeconds, Connected == true, NotConnectedReason, ReleaseDirectionName, ReleaseCause, Rang));
        }

        if (HasRecording && Take(Published.Recording))
        {
            due.Add(new RecordingReady(NewId(now, due.Count), CallId, BindingId, CallerId, BusinessLine, OrderId, now, secretNo, callTime, callTime + recordingRetention));
        }

        if (Transcript is not null && Take(Published.Transcript))
        {
            due.Add(new TranscriptReady(NewId(now, due.Count), CallId, BindingId, CallerId, BusinessLine, OrderId, now, secretNo, TranscriptSentences, TranscriptDurationMs ?? 0));
        }

        return due;
    }

    /// <summary>Why a reported call did not connect: blacklisted, noBinding, callRestricted, noAnswer or other; null when it connected.</summary>
    public string? NotConnectedReason => Connected != false ? null : UnconnectedCause switch
    {
        1 => "blacklisted",
        2 => "noBinding",
        3 => "callRestricted",
        4 => "other",
        _ => "noAnswer",
    };

    /// <summary>platform, caller or callee (release_dir 0, 1, 2).</summary>
    public string? ReleaseDirectionName => ReleaseDirection switch
    {
        0 => "platform",
        1 => "caller",
        2 => "callee",
        _ => null,
    };

    private void ApplyParties(CallReceipt receipt)
    {
        if (CallerMasked is null && receipt.CallerNumber is { Length: > 0 } caller)
        {
            CallerMasked = PhoneNumber.Mask(caller);
        }

        if (CalleeMasked is null && receipt.CalleeNumber is { Length: > 0 } callee)
        {
            CalleeMasked = PhoneNumber.Mask(callee);
        }

        if (Direction == "unknown" && receipt.CallType is { } type)
        {
            Direction = type switch
            {
                0 => "fromPartyA",
                1 => "toPartyA",
                4 => "intercepted",
                _ => "unknown",
            };
        }
    }

    /// <summary>Decided by the first start or call record: the provider found no binding, or ours was not in effect.</summary>
    private void DecideBound(CallReceipt receipt, CallBinding? binding)
    {
        if (UnboundReason is not null || PublishedEvents != 0)
        {
            return;
        }

        UnboundReason = receipt.NoSubscription ? "noSubsExist"
            : receipt.UnconnectedCause == 2 ? "noBinding"
            : binding is { InEffectAtCallTime: false } ? "bindingEnded"
            : null;
    }

    private bool Take(Published flag)
    {
        if ((PublishedEvents & (int)flag) != 0)
        {
            return false;
        }

        PublishedEvents |= (int)flag;
        return true;
    }

    /// <summary>
    /// Ids that sort in the call's order (the n-th event of a save one millisecond after the previous): the save writes
    /// its rows in key order, and the outbox publishes a call's rows in the order they were written.
    /// </summary>
    private static Guid NewId(DateTimeOffset now, int n) => Guid.CreateVersion7(now.AddMilliseconds(n));

    [Flags]
    public enum Published
    {
        None = 0,
        Started = 1,
        Ended = 2,
        Recording = 4,
        Transcript = 8,
        Unbound = 16,
    }
}
