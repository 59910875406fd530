using System.Text.Json.Serialization;

namespace BindingService.Infrastructure.Aliyun;

// docs/provider-rules.md, 'Actions': changing, ending and reading bindings.

/// <summary>OperateType values of UpdateSubscription (R-UPD-2).</summary>
public static class SubscriptionOperations
{
    public const string UpdateNoA = "updateNoA";
    public const string UpdateNoB = "updateNoB";
    public const string UpdateExpire = "updateExpire";
    public const string UpdateAxgGroup = "updateAxgGroup";
    public const string UpdateCallRestrict = "updateCallRestrict";
    public const string UpdateCallDisplayType = "updateCallDisplayType";
    public const string UpdateOutId = "updateOutId";
    public const string UpdateIsRecordingEnabled = "updateIsRecordingEnabled";
}

/// <summary>Fails when neither PoolKey nor ProductType identifies the pool (R-UPD-1, B.10).</summary>
internal static class PoolIdentity
{
    public static void Write(PopParameters parameters, string action, string? poolKey, string? productType)
    {
        if (string.IsNullOrWhiteSpace(poolKey) && string.IsNullOrWhiteSpace(productType))
        {
            throw new ArgumentException($"{action}: PoolKey or ProductType is required.", nameof(poolKey));
        }

        parameters.AddOptional("PoolKey", poolKey);
        parameters.AddOptional("ProductType", productType);
    }
}

/// <summary>
/// UpdateSubscription (R-UPD-2). <see cref="AliyunCallKind.Idempotent"/>: every operation sets an absolute value
/// (this A, this B, this expiry, this restriction...), so applying it twice leaves the binding as applying it once,
/// and nothing new is created. The caller serializes a binding's changes, so a late repeat cannot undo a newer one.
/// </summary>
public sealed record UpdateSubscriptionRequest : PopRequest<PopResponse>
{
    public override string Action => "UpdateSubscription";

    public override AliyunCallKind Kind => AliyunCallKind.Idempotent;

    /// <summary>Required unless ProductType is given.</summary>
    public string? PoolKey { get; init; }

    /// <summary>Legacy (AXB_170, AXN_170, AXN_95, AXN_EXTENSION_REUSE); required unless PoolKey is given.</summary>
    public string? ProductType { get; init; }

    public required string SubsId { get; init; }

    public required string PhoneNoX { get; init; }

    /// <summary>One of <see cref="SubscriptionOperations"/>; each needs its own parameter below.</summary>
    public required string OperateType { get; init; }

    public string? PhoneNoA { get; init; }

    public string? PhoneNoB { get; init; }

    /// <summary>A String on the wire (T42).</summary>
    public long? GroupId { get; init; }

    /// <summary>One of <see cref="CallRestricts"/>, including <see cref="CallRestricts.Clear"/>.</summary>
    public string? CallRestrict { get; init; }

    public DateTimeOffset? Expiration { get; init; }

    public int? CallDisplayType { get; init; }

    public string? OutId { get; init; }

    public bool? IsRecordingEnabled { get; init; }

    public IReadOnlyDictionary<string, string>? RingConfig { get; init; }

    public bool? ASRStatus { get; init; }

    public string? ASRModelId { get; init; }

    /// <summary>
    /// Each OperateType needs its own parameter (R-UPD-2; a missing one is a parameter error, R-UPD-4), and
    /// CallDisplayType can only be 1 (R-BIND-8): refused before sending.
    /// </summary>
    internal override string? BrokenRule()
    {
        (string? Parameter, bool Given) needs = OperateType switch
        {
            SubscriptionOperations.UpdateNoA => ("PhoneNoA", !string.IsNullOrWhiteSpace(PhoneNoA)),
            SubscriptionOperations.UpdateNoB => ("PhoneNoB", !string.IsNullOrWhiteSpace(PhoneNoB)),
            SubscriptionOperations.UpdateExpire => ("Expiration", Expiration is not null),
            SubscriptionOperations.UpdateAxgGroup => ("GroupId", GroupId is not null),
            SubscriptionOperations.UpdateCallRestrict => ("CallRestrict", !string.IsNullOrWhiteSpace(CallRestrict)),
            SubscriptionOperations.UpdateCallDisplayType => ("CallDisplayType", CallDisplayType is not null),
            SubscriptionOperations.UpdateOutId => ("OutId", !string.IsNullOrWhiteSpace(OutId)),
            SubscriptionOperations.UpdateIsRecordingEnabled => ("IsRecordingEnabled", IsRecordingEnabled is not null),
            _ => (null, true),
        };
        return needs.Given
            ? CallDisplayTypes.BrokenRule(CallDisplayType)
            : $"OperateType {OperateType} needs {needs.Parameter} (R-UPD-2).";
    }

    internal override void Write(PopParameters parameters)
    {
        PoolIdentity.Write(parameters, Action, PoolKey, ProductType);
        parameters.Add("SubsId", SubsId);
        parameters.Add("PhoneNoX", PhoneNoX);
        parameters.Add("OperateType", OperateType);
        parameters.AddOptional("PhoneNoA", PhoneNoA);
        parameters.AddOptional("PhoneNoB", PhoneNoB);
        parameters.AddOptional("GroupId", GroupId);
        parameters.AddOptional("CallRestrict", CallRestrict);
        parameters.AddOptional("Expiration", Expiration);
        parameters.AddOptional("CallDisplayType", CallDisplayType);
        parameters.AddOptional("OutId", OutId);
        parameters.AddOptional("IsRecordingEnabled", IsRecordingEnabled);
        parameters.AddJson("RingConfig", RingConfig);
        parameters.AddOptional("ASRStatus", ASRStatus);
        parameters.AddOptional("ASRModelId", ASRModelId);
    }
}

/// <summary>
/// UnbindSubscription (R-UNB-1). <see cref="AliyunCallKind.Idempotent"/>: removing a binding twice removes it once;
/// a repeat after an applied first attempt answers isv.SUBS_NOT_EXIST, which a release treats as done.
/// Note the X is named SecretNo here.
/// </summary>
public sealed record UnbindSubscriptionRequest : PopRequest<UnbindSubscriptionResponse>
{
    public override string Action => "UnbindSubscription";

    public override AliyunCallKind Kind => AliyunCallKind.Idempotent;

    public string? PoolKey { get; init; }

    public string? ProductType { get; init; }

    public required string SubsId { get; init; }

    public required string SecretNo { get; init; }

    internal override void Write(PopParameters parameters)
    {
        PoolIdentity.Write(parameters, Action, PoolKey, ProductType);
        parameters.Add("SubsId", SubsId);
        parameters.Add("SecretNo", SecretNo);
    }
}

/// <summary>ChargeId is deprecated; typed String but sent as the boolean true (T52): read as text.</summary>
public sealed class UnbindSubscriptionResponse : PopResponse
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ChargeId { get; init; }
}

/// <summary>QuerySubscriptionDetail (R-QRY-1). <see cref="AliyunCallKind.Query"/>: reads only.</summary>
public sealed record QuerySubscriptionDetailRequest : PopRequest<QuerySubscriptionDetailResponse>
{
    public override string Action => "QuerySubscriptionDetail";

    public override AliyunCallKind Kind => AliyunCallKind.Query;

    public string? PoolKey { get; init; }

    public string? ProductType { get; init; }

    public required string SubsId { get; init; }

    public required string PhoneNoX { get; init; }

    internal override void Write(PopParameters parameters)
    {
        PoolIdentity.Write(parameters, Action, PoolKey, ProductType);
        parameters.Add("SubsId", SubsId);
        parameters.Add("PhoneNoX", PhoneNoX);
    }
}

public sealed class QuerySubscriptionDetailResponse : PopResponse
{
    [JsonPropertyName("SecretBindDetailDTO")]
    public SecretBindDetailDto? SecretBindDetailDTO { get; init; }

    internal override bool IsComplete => SecretBindDetailDTO is not null;
}

/// <summary>SecretBindDetailDTO. Times are China wall-clock text (<see cref="ChinaTime"/> reads them).</summary>
public sealed class SecretBindDetailDto
{
    /// <summary>1 in effect, 0 no longer in effect (R-UNB-2).</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? Status { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? SubsId { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? PhoneNoA { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? PhoneNoB { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? PhoneNoX { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Extension { get; init; }

    [JsonConverter(typeof(LenientInt64Converter))]
    public long? GroupId { get; init; }

    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? NeedRecord { get; init; }

    [JsonPropertyName("ASRStatus")]
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? ASRStatus { get; init; }

    [JsonPropertyName("ASRModelId")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ASRModelId { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? GmtCreate { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? ExpireDate { get; init; }

    /// <summary>Omitted when no restriction is set.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? CallRestrict { get; init; }
}

/// <summary>QuerySubsId (R-QRY-2). <see cref="AliyunCallKind.Query"/>: reads only.</summary>
public sealed record QuerySubsIdRequest : PopRequest<QuerySubsIdResponse>
{
    public override string Action => "QuerySubsId";

    public override AliyunCallKind Kind => AliyunCallKind.Query;

    public required string PoolKey { get; init; }

    public required string PhoneNoX { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("PoolKey", PoolKey);
        parameters.Add("PhoneNoX", PhoneNoX);
    }
}

/// <summary>SubsId holds every binding on the X, comma-separated (T57); <see cref="SubsIds"/> splits it.</summary>
public sealed class QuerySubsIdResponse : PopResponse
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? SubsId { get; init; }

    [JsonIgnore]
    public IReadOnlyList<string> SubsIds =>
        SubsId?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
