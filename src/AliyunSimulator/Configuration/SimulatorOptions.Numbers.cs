namespace BindingService.AliyunSimulator.Configuration;

/// <summary>
/// Settings of the number inventory, blacklist, recording/ASR/SMS and PhoneNumberEncrypt actions. Lists left
/// unconfigured get the defaults in <see cref="NumberDefaults"/> (a configured list replaces the default one).
/// </summary>
public sealed partial class SimulatorOptions
{
    /// <summary>Numbers on sale to BuySecretNo and counted by QuerySecretNoRemain, per SpecId and city (docs/provider-rules.md R-NUM-3, R-NUM-4). Default: see <see cref="NumberDefaults"/>.</summary>
    public List<StockOptions> Stock { get; set; } = [];

    /// <summary>AccessKeyIds whose account is not real-name verified as an enterprise: BuySecretNo is refused (R-NUM-4). Default: none.</summary>
    public List<string> UnverifiedAccessKeyIds { get; set; } = [];

    /// <summary>
    /// AccessKeyIds of RAM users without permission for the blacklist, ASR and PhoneNumberEncrypt actions: they get the
    /// documented RAM errors (<c>RamPermissionDenied</c>, <c>isp.RAM_PERMISSION_DENIED</c>, <c>Ram.PermissionDeny</c>). Default: none.
    /// </summary>
    public List<string> RamDeniedAccessKeyIds { get; set; } = [];

    /// <summary>CertifyStatus of a bought number: <c>0</c> not certified, <c>1</c> certified (R-NUM-4). Also used for configured numbers.</summary>
    public int CertifyStatus { get; set; } = 1;

    /// <summary>Whether the customer has the number-display feature: only then does <c>DisplayPool=true</c> take effect (R-NUM-4).</summary>
    public bool DisplayFeature { get; set; }

    /// <summary>Call records, recordings and held SMS (R-REC-1..4, R-SMS-1).</summary>
    public CallRecordOptions CallRecords { get; set; } = new();

    /// <summary>PhoneNumberEncrypt (Dytnsapi, R-ENC-1..5).</summary>
    public EncryptionOptions Encryption { get; set; } = new();
}

/// <summary>A run of <see cref="Count"/> consecutive numbers from <see cref="Start"/> on sale in one city for one SpecId.</summary>
public sealed class StockOptions
{
    /// <summary><c>1</c> virtual-operator 170/171, <c>2</c> carrier, <c>3</c> 95 numbers (R-NUM-2).</summary>
    public long SpecId { get; set; } = 1;

    /// <summary>Home city; for SpecId 3 it must be <c>全国通用</c>.</summary>
    public string City { get; set; } = string.Empty;

    public string Province { get; set; } = string.Empty;

    /// <summary><c>1</c> China Mobile, <c>2</c> China Unicom, <c>3</c> China Telecom.</summary>
    public long Vendor { get; set; } = 1;

    /// <summary>The first number, digits only (at most 18); its length is kept for every number.</summary>
    public string Start { get; set; } = string.Empty;

    public int Count { get; set; }
}

public sealed class CallRecordOptions
{
    /// <summary>Host of the recording download URLs (they are https and never resolve to anything real).</summary>
    public string UrlHost { get; set; } = "secret-axb-record-files.oss-cn-shanghai.aliyuncs.com";

    /// <summary>How long a download URL is valid: the <c>Expires</c> Unix time is this far ahead (R-REC-2: 2 hours).</summary>
    public int UrlValidMinutes { get; set; } = 120;

    /// <summary>Recordings of calls older than this are gone (R-REC-2: 14 days).</summary>
    public int RetentionDays { get; set; } = 14;

    /// <summary>A held SMS older than this can no longer be confirmed (R-SMS-1 [ext]: one day).</summary>
    public int SmsConfirmWindowHours { get; set; } = 24;
}

public sealed class EncryptionOptions
{
    /// <summary>Authorization codes (the tag application's ID) PhoneNumberEncrypt accepts. Default: <see cref="NumberDefaults.AuthCode"/>.</summary>
    public List<string> AuthCodes { get; set; } = [];

    /// <summary>How long an encrypted 140 number lives; the same input gets the same number until then (B.14).</summary>
    public int TtlHours { get; set; } = 24;

    /// <summary>AccessKeyIds not subscribed to Dytnsapi: <c>Product.Unsubscript</c>. Default: none.</summary>
    public List<string> UnsubscribedAccessKeyIds { get; set; } = [];
}
