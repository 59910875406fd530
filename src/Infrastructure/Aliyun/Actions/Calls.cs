using System.Text.Json.Serialization;

namespace BindingService.Infrastructure.Aliyun;

// docs/provider-rules.md, 'Actions': what happens around a call (SMS confirmation, recordings, ASR).

/// <summary>
/// ConfirmSendSms (R-SMS-1). <see cref="AliyunCallKind.NotRepeatable"/>: it releases an intercepted SMS to
/// the recipient, and the documents do not say a second confirmation is ignored; a repeat could deliver the SMS
/// twice, a visible effect on a person.
/// </summary>
public sealed record ConfirmSendSmsRequest : PopRequest<ConfirmSendSmsResponse>
{
    public override string Action => "ConfirmSendSms";

    public override AliyunCallKind Kind => AliyunCallKind.NotRepeatable;

    public required string PoolKey { get; init; }

    public required string SecretNo { get; init; }

    public required string CallId { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("PoolKey", PoolKey);
        parameters.Add("SecretNo", SecretNo);
        parameters.Add("CallId", CallId);
    }
}

/// <summary>Data is the String "true" (R-FMT-4); read as a boolean from either form.</summary>
public sealed class ConfirmSendSmsResponse : PopResponse
{
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? Data { get; init; }
}

/// <summary>QueryRecordFileDownloadUrl (R-REC-2). <see cref="AliyunCallKind.Query"/>: reads only.</summary>
public sealed record QueryRecordFileDownloadUrlRequest : PopRequest<QueryRecordFileDownloadUrlResponse>
{
    public override string Action => "QueryRecordFileDownloadUrl";

    public override AliyunCallKind Kind => AliyunCallKind.Query;

    public string? PoolKey { get; init; }

    public string? ProductType { get; init; }

    public required string CallId { get; init; }

    /// <summary>When the call started; sent as China time.</summary>
    public required DateTimeOffset CallTime { get; init; }

    internal override void Write(PopParameters parameters)
    {
        PoolIdentity.Write(parameters, Action, PoolKey, ProductType);
        parameters.Add("CallId", CallId);
        parameters.Add("CallTime", CallTime);
    }
}

/// <summary>DownloadUrl is valid for 2 hours.</summary>
public sealed class QueryRecordFileDownloadUrlResponse : PopResponse
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? DownloadUrl { get; init; }

    internal override bool IsComplete => !IsBlank(DownloadUrl);
}

/// <summary>
/// GetTotalPublicUrl (R-REC-3). <see cref="AliyunCallKind.Query"/>: reads only. The pool key is named
/// PartnerKey here.
/// </summary>
public sealed record GetTotalPublicUrlRequest : PopRequest<GetTotalPublicUrlResponse>
{
    public override string Action => "GetTotalPublicUrl";

    public override AliyunCallKind Kind => AliyunCallKind.Query;

    public required bool CheckSubs { get; init; }

    public required string PartnerKey { get; init; }

    public required string CallId { get; init; }

    public required DateTimeOffset CallTime { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("CheckSubs", CheckSubs);
        parameters.Add("PartnerKey", PartnerKey);
        parameters.Add("CallId", CallId);
        parameters.Add("CallTime", CallTime);
    }
}

public sealed class GetTotalPublicUrlResponse : PopResponse
{
    public PublicUrlDto? Data { get; init; }

    internal override bool IsComplete => Data is not null;
}

public sealed class PublicUrlDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? RingPublicUrl { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? PhonePublicUrl { get; init; }
}

/// <summary>GetSecretAsrDetail (R-REC-4). <see cref="AliyunCallKind.Query"/>: reads only.</summary>
public sealed record GetSecretAsrDetailRequest : PopRequest<GetSecretAsrDetailResponse>
{
    public override string Action => "GetSecretAsrDetail";

    public override AliyunCallKind Kind => AliyunCallKind.Query;

    public required string CallId { get; init; }

    public required DateTimeOffset CallTime { get; init; }

    public required string PoolKey { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("CallId", CallId);
        parameters.Add("CallTime", CallTime);
        parameters.Add("PoolKey", PoolKey);
    }
}

public sealed class GetSecretAsrDetailResponse : PopResponse
{
    public SecretAsrDetailDto? Data { get; init; }

    internal override bool IsComplete => Data is not null;
}

/// <summary>The ASR result. Its Code 21050000 means success; its RequestId is the ASR engine's (T64). Msg is not modelled.</summary>
public sealed class SecretAsrDetailDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? RequestId { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? BusinessId { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? BusinessKey { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Code { get; init; }

    /// <summary>Milliseconds.</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? BizDuration { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Type { get; init; }

    [JsonConverter(typeof(LenientListConverter<SecretAsrSentenceDto>))]
    public IReadOnlyList<SecretAsrSentenceDto>? Sentences { get; init; }
}

public sealed class SecretAsrSentenceDto
{
    /// <summary>Offset, ms.</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? BeginTime { get; init; }

    /// <summary>Offset, ms.</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? EndTime { get; init; }

    /// <summary>Documented in seconds (T65); passed through.</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? SilenceDuration { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Text { get; init; }

    [JsonConverter(typeof(LenientInt64Converter))]
    public long? ChannelId { get; init; }

    /// <summary>Characters per minute.</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? SpeechRate { get; init; }

    /// <summary>1–10, sent as a string (e.g. "5.7").</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? EmotionValue { get; init; }
}
