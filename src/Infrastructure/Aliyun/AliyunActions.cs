namespace BindingService.Infrastructure.Aliyun;

/// <summary>The two POP products we call. Each has its own endpoint, version, credentials and resilience pipeline.</summary>
public enum AliyunProduct
{
    /// <summary>Phone Number Protection, version 2017-05-25 (docs/provider-rules.md, 'Endpoint and version', 'Actions').</summary>
    Dyplsapi,

    /// <summary>Cell Phone Number Service, version 2020-02-17, for PhoneNumberEncrypt only (docs/provider-rules.md, 'Endpoint and version', 'Actions').</summary>
    Dytnsapi,
}

/// <summary>
/// What a repeat of an action does at the provider, which decides whether the client may retry it after an
/// attempt whose outcome is unknown (timeout, connection lost after sending, ambiguous 5xx). Throttling and
/// connections that were never made are retried for every kind: the provider certainly did not apply them.
/// </summary>
public enum AliyunCallKind
{
    /// <summary>Reads only: a repeat changes nothing. Retried after an unknown outcome.</summary>
    Query,

    /// <summary>Sets an absolute state (this B, this expiry, unlocked, not in the group...): applying it twice equals applying it once. Retried after an unknown outcome.</summary>
    Idempotent,

    /// <summary>Creates or sends something (a binding, a group, a purchase, an order, an SMS): a repeat could do it twice. Never retried after an unknown outcome; the caller settles it.</summary>
    NotRepeatable,
}

/// <summary>An action the client knows, its product and its documented per-user QPS (R-QPS-1; null where the documents state none).</summary>
public sealed record AliyunActionInfo(string Name, AliyunProduct Product, int? DocumentedQps);

/// <summary>Every action in the 'Actions' table of docs/provider-rules.md that the typed clients call (QueryCallStatus is undocumented and not modelled, B.18).</summary>
public static class AliyunActions
{
    public const string DyplsapiVersion = "2017-05-25";
    public const string DytnsapiVersion = "2020-02-17";

    private static readonly AliyunActionInfo[] Known =
    [
        new("BindAxb", AliyunProduct.Dyplsapi, 5000),
        new("BindAxn", AliyunProduct.Dyplsapi, null),
        new("BindAxnExtension", AliyunProduct.Dyplsapi, 5000),
        new("BindAxg", AliyunProduct.Dyplsapi, 5000),
        new("CreateAxgGroup", AliyunProduct.Dyplsapi, null),
        new("OperateAxgGroup", AliyunProduct.Dyplsapi, 5000),
        new("UpdateSubscription", AliyunProduct.Dyplsapi, 10000),
        new("UnbindSubscription", AliyunProduct.Dyplsapi, null),
        new("QuerySubscriptionDetail", AliyunProduct.Dyplsapi, 5000),
        new("QuerySubsId", AliyunProduct.Dyplsapi, null),
        new("QuerySecretNoDetail", AliyunProduct.Dyplsapi, 1000),
        new("ConfirmSendSms", AliyunProduct.Dyplsapi, 1000),
        new("QueryRecordFileDownloadUrl", AliyunProduct.Dyplsapi, null),
        new("GetTotalPublicUrl", AliyunProduct.Dyplsapi, 1000),
        new("GetSecretAsrDetail", AliyunProduct.Dyplsapi, 100),
        new("QuerySecretNoRemain", AliyunProduct.Dyplsapi, null),
        new("BuySecretNo", AliyunProduct.Dyplsapi, null),
        new("ReleaseSecretNo", AliyunProduct.Dyplsapi, null),
        new("OperateBlackNo", AliyunProduct.Dyplsapi, 1000),
        new("LockSecretNo", AliyunProduct.Dyplsapi, 500),
        new("UnlockSecretNo", AliyunProduct.Dyplsapi, 500),
        new("AddSecretBlacklist", AliyunProduct.Dyplsapi, 100),
        new("DeleteSecretBlacklist", AliyunProduct.Dyplsapi, 100),
        new("QueryPhoneNoAByTrackNo", AliyunProduct.Dyplsapi, 5000),
        new("AddAxnTrackNo", AliyunProduct.Dyplsapi, 5000),
        new("CreatePickUpWaybill", AliyunProduct.Dyplsapi, 100),
        new("CancelPickUpWaybill", AliyunProduct.Dyplsapi, 100),
        new("CreatePickUpWaybillPreQuery", AliyunProduct.Dyplsapi, 100),
        new("PhoneNumberEncrypt", AliyunProduct.Dytnsapi, 1000),
    ];

    /// <summary>By wire name (case-sensitive, as the gateway is: R-SIG-2).</summary>
    public static IReadOnlyDictionary<string, AliyunActionInfo> All { get; } = Known.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public static string VersionOf(AliyunProduct product) => product switch
    {
        AliyunProduct.Dyplsapi => DyplsapiVersion,
        AliyunProduct.Dytnsapi => DytnsapiVersion,
        _ => throw new ArgumentOutOfRangeException(nameof(product), product, "Unknown Aliyun product."),
    };
}
