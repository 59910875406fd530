using System.Text.Json.Serialization;

namespace BindingService.Infrastructure.Aliyun;

// docs/provider-rules.md, 'Actions': the X-number inventory.

/// <summary>QuerySecretNoDetail (R-NUM-8). <see cref="AliyunCallKind.Query"/>: reads only.</summary>
public sealed record QuerySecretNoDetailRequest : PopRequest<QuerySecretNoDetailResponse>
{
    public override string Action => "QuerySecretNoDetail";

    public override AliyunCallKind Kind => AliyunCallKind.Query;

    public required string SecretNo { get; init; }

    public required string PoolKey { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("SecretNo", SecretNo);
        parameters.Add("PoolKey", PoolKey);
    }
}

public sealed class QuerySecretNoDetailResponse : PopResponse
{
    [JsonPropertyName("SecretNoInfoDTO")]
    public SecretNoInfoDto? SecretNoInfoDTO { get; init; }

    internal override bool IsComplete => SecretNoInfoDTO is not null;
}

public sealed class SecretNoInfoDto
{
    /// <summary>China wall-clock text.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? PurchaseTime { get; init; }

    /// <summary>1 China Mobile, 2 China Unicom, 3 China Telecom.</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? Vendor { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Province { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? City { get; init; }

    /// <summary>0 unbound, 1 bound, 2 locked, 3 frozen (R-NUM-5).</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? SecretStatus { get; init; }

    /// <summary>0 not certified, 1 certified.</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? CertifyStatus { get; init; }
}

/// <summary>SpecId values (R-NUM-2).</summary>
public static class SecretNoSpecs
{
    /// <summary>Virtual-operator 170/171 numbers.</summary>
    public const long VirtualOperator = 1;

    public const long Carrier = 2;

    /// <summary>95 numbers: City must be 全国通用.</summary>
    public const long NinetyFive = 3;
}

/// <summary>QuerySecretNoRemain (R-NUM-3). <see cref="AliyunCallKind.Query"/>: reads only.</summary>
public sealed record QuerySecretNoRemainRequest : PopRequest<QuerySecretNoRemainResponse>
{
    public override string Action => "QuerySecretNoRemain";

    public override AliyunCallKind Kind => AliyunCallKind.Query;

    /// <summary>A city, 全国 (nationwide total), 全国列表 (per-city list) or, for SpecId 3, 全国通用.</summary>
    public required string City { get; init; }

    /// <summary>One of <see cref="SecretNoSpecs"/>.</summary>
    public required long SpecId { get; init; }

    /// <summary>Prefix, at most 18 digits.</summary>
    public string? SecretNo { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("City", City);
        parameters.Add("SpecId", SpecId);
        parameters.AddOptional("SecretNo", SecretNo);
    }
}

public sealed class QuerySecretNoRemainResponse : PopResponse
{
    [JsonPropertyName("SecretRemainDTO")]
    public SecretRemainDto? SecretRemainDTO { get; init; }

    internal override bool IsComplete => SecretRemainDTO is not null;
}

public sealed class SecretRemainDto
{
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? Amount { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? City { get; init; }

    /// <summary>Per-city stock for 全国列表, sent as <c>{"remainDTO":[...]}</c> (T67); a bare array or one object is read too.</summary>
    [JsonPropertyName("RemainDTOList")]
    [JsonConverter(typeof(RemainDtoListConverter))]
    public IReadOnlyList<RemainDto>? RemainDTOList { get; init; }
}

public sealed class RemainDto
{
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? Amount { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? City { get; init; }
}

internal sealed class RemainDtoListConverter() : LenientListConverter<RemainDto>("remainDTO");

/// <summary>
/// BuySecretNo (R-NUM-4). <see cref="AliyunCallKind.NotRepeatable"/>: every call buys (and bills) one more
/// number, so a repeat after a timeout could buy two.
/// </summary>
public sealed record BuySecretNoRequest : PopRequest<BuySecretNoResponse>
{
    public override string Action => "BuySecretNo";

    public override AliyunCallKind Kind => AliyunCallKind.NotRepeatable;

    public required string City { get; init; }

    public required string PoolKey { get; init; }

    public required long SpecId { get; init; }

    /// <summary>Prefix, fuzzy-matched, at most 18 digits.</summary>
    public string? SecretNo { get; init; }

    public bool? DisplayPool { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("City", City);
        parameters.Add("PoolKey", PoolKey);
        parameters.Add("SpecId", SpecId);
        parameters.AddOptional("SecretNo", SecretNo);
        parameters.AddOptional("DisplayPool", DisplayPool);
    }
}

public sealed class BuySecretNoResponse : PopResponse
{
    [JsonPropertyName("SecretBuyInfoDTO")]
    public SecretBuyInfoDto? SecretBuyInfoDTO { get; init; }

    internal override bool IsComplete => SecretBuyInfoDTO is { } b && !IsBlank(b.SecretNo);
}

public sealed class SecretBuyInfoDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? SecretNo { get; init; }
}

/// <summary>An action on one complete X number of a pool: PoolKey and SecretNo, nothing else.</summary>
public abstract record PoolNumberRequest : PopRequest<PopResponse>
{
    public required string PoolKey { get; init; }

    /// <summary>The complete number (B.2: never a prefix).</summary>
    public required string SecretNo { get; init; }

    internal sealed override void Write(PopParameters parameters)
    {
        parameters.Add("PoolKey", PoolKey);
        parameters.Add("SecretNo", SecretNo);
    }
}

/// <summary>
/// ReleaseSecretNo (R-NUM-7). <see cref="AliyunCallKind.Idempotent"/>: releasing a number twice releases it
/// once (the repeat answers isv.NO_NOT_EXIST).
/// </summary>
public sealed record ReleaseSecretNoRequest : PoolNumberRequest
{
    public override string Action => "ReleaseSecretNo";

    public override AliyunCallKind Kind => AliyunCallKind.Idempotent;
}

/// <summary>LockSecretNo (R-NUM-6). <see cref="AliyunCallKind.Idempotent"/>: sets the state "locked".</summary>
public sealed record LockSecretNoRequest : PoolNumberRequest
{
    public override string Action => "LockSecretNo";

    public override AliyunCallKind Kind => AliyunCallKind.Idempotent;
}

/// <summary>UnlockSecretNo (R-NUM-6). <see cref="AliyunCallKind.Idempotent"/>: sets the state "unlocked".</summary>
public sealed record UnlockSecretNoRequest : PoolNumberRequest
{
    public override string Action => "UnlockSecretNo";

    public override AliyunCallKind Kind => AliyunCallKind.Idempotent;
}
