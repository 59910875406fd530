namespace BindingService.Application.Calls;

/// <summary>The receipt types the provider pushes (docs/receipts.md), by the name the provider gives them.</summary>
public enum ReceiptKind
{
    /// <summary>SecretStartReport: the call reached X.</summary>
    Start,

    /// <summary>SecretRingReport: the called phone rings (some carriers only).</summary>
    Ring,

    /// <summary>SecretPickUpReport: the called party answered (some carriers only).</summary>
    PickUp,

    /// <summary>SecretReport: the call record, sent when the call ended.</summary>
    Report,

    /// <summary>SecretRecording: the recording can be fetched.</summary>
    Recording,

    /// <summary>SecretAsrReport: the transcript.</summary>
    Asr,

    /// <summary>SecretSmsIntercept: an SMS to X was intercepted.</summary>
    SmsIntercept,

    /// <summary>SecretExceptionPhoneReport: a virtual number became abnormal or normal again.</summary>
    NumberHealth,
}

/// <summary>One transcript sentence: offsets in ms from the call's answer; channel 0 is the caller, 1 the called party.</summary>
public sealed record TranscriptSentence(long BeginMs, long EndMs, int Channel, string Text);

/// <summary>
/// One receipt message, read tolerantly from the provider's wire shape (Infrastructure/Receipts/ReceiptParser.cs): the
/// fields this service uses, in our words and UTC times. Numbers are in clear here, only while the receipt is
/// processed; nothing stores or logs them unmasked.
/// </summary>
public sealed record CallReceipt(ReceiptKind Kind, string? CallId)
{
    /// <summary>The provider's message id (the HTTP variant's <c>id</c>), when it sends one.</summary>
    public string? MessageId { get; init; }

    public string? PoolKey { get; init; }

    public string? SubsId { get; init; }

    /// <summary>Our binding id, as we sent it in the bind (OutId).</summary>
    public string? OutId { get; init; }

    /// <summary>A of the binding (phone_no).</summary>
    public string? PhoneNo { get; init; }

    public string? SecretNo { get; init; }

    /// <summary>The other side of the call (peer_no).</summary>
    public string? PeerNo { get; init; }

    /// <summary>0 A called the peer, 1 the peer called A, 4 intercepted.</summary>
    public int? CallType { get; init; }

    public DateTimeOffset? CallTime { get; init; }

    /// <summary>When the called party answered (start_time); null or absent when the call did not connect.</summary>
    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? ReleasedAt { get; init; }

    public DateTimeOffset? CallOutAt { get; init; }

    public DateTimeOffset? FreeRingAt { get; init; }

    public int? ReleaseDirection { get; init; }

    public int? UnconnectedCause { get; init; }

    public int? ReleaseCause { get; init; }

    public string? ControlMessage { get; init; }

    /// <summary>Number health: true normal, false abnormal.</summary>
    public bool? Healthy { get; init; }

    public DateTimeOffset? ReportedAt { get; init; }

    /// <summary>ASR: the call's length in ms, its status code (21050000 OK) and its sentences.</summary>
    public long? AsrDurationMs { get; init; }

    public string? AsrStatus { get; init; }

    public IReadOnlyList<TranscriptSentence>? Sentences { get; init; }

    /// <summary>SMS interception: why the provider held the SMS (NORMAL, SUBS_NOT_EXISTS, CONTROL_DISABLE, CALLED_NOT_EXISTS).</summary>
    public string? SmsInterceptType { get; init; }

    /// <summary>SMS interception: 1 intercepted, 3 smart SMS.</summary>
    public int? SmsType { get; init; }

    /// <summary>SMS interception: the provider's delivery status (DELIVRD, REJECTD, UNDELIV, EXPIRED, ACCEPTD). The SMS text is never read.</summary>
    public string? DeliveryCode { get; init; }

    /// <summary>The number that dialled: A for call type 0, the peer for type 1.</summary>
    public string? CallerNumber => CallType == 1 ? PeerNo : PhoneNo;

    /// <summary>The number that was dialled through X.</summary>
    public string? CalleeNumber => CallType == 1 ? PhoneNo : PeerNo;

    /// <summary>The provider said no binding exists (control message NO_SUBS_EXIST).</summary>
    public bool NoSubscription => string.Equals(ControlMessage, "NO_SUBS_EXIST", StringComparison.OrdinalIgnoreCase);
}
