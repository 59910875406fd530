namespace BindingService.AliyunSimulator.Configuration;

/// <summary>
/// The <c>Simulator</c> configuration section. Every value has a default, so the simulator runs with no
/// configuration at all; lists left unconfigured get the defaults in <see cref="SimulatorDefaults"/>
/// (a configured list replaces the default one, it is never merged with it).
/// </summary>
public sealed partial class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>AccessKeyId/secret pairs the gateway accepts. Default: <c>simulator-access-key</c> / <c>simulator-access-secret</c>.</summary>
    public List<AccountOptions> Accounts { get; set; } = [];

    /// <summary>Number pools with their X numbers. Default: one AXB pool of 20 numbers (see <see cref="SimulatorDefaults"/>).</summary>
    public List<PoolOptions> Pools { get; set; } = [];

    /// <summary>Allowed skew between the request's <c>Timestamp</c> and the simulator's clock (R-SIG-3).</summary>
    public int TimestampToleranceMinutes { get; set; } = 15;

    /// <summary>How long a <c>SignatureNonce</c> stays used (per AccessKeyId).</summary>
    public int NonceWindowMinutes { get; set; } = 15;

    /// <summary>Offset of the business times (<c>Expiration</c>, <c>GmtCreate</c>, <c>ExpireDate</c>) from UTC: China time.</summary>
    public int ChinaUtcOffsetHours { get; set; } = 8;

    /// <summary>Seed of the random X selection: the same calls in the same order pick the same numbers.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>How many active AXB bindings one X may carry before automatic selection skips it.</summary>
    public int MaxAxbPairsPerX { get; set; } = 200;

    /// <summary>Maps the test-only <c>/_sim/</c> control endpoints.</summary>
    public bool ControlApi { get; set; } = true;

    /// <summary>
    /// HTTP status per business error code (e.g. <c>"isv.BIND_CONFLICT": 400</c>). Codes not listed answer 200 with
    /// the code in the body, which is what Dy* products are believed to do (docs/provider-rules.md A.2, B.17).
    /// </summary>
    public Dictionary<string, int> BusinessErrorHttpStatus { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The value the gateway error body carries as <c>HostId</c>.</summary>
    public string HostId { get; set; } = "dyplsapi.aliyuncs.com";
}

public sealed class AccountOptions
{
    public string AccessKeyId { get; set; } = string.Empty;

    public string AccessKeySecret { get; set; } = string.Empty;

    /// <summary>A disabled key is refused with <c>InvalidAccessKeyId.Inactive</c>.</summary>
    public bool Enabled { get; set; } = true;
}

public sealed class PoolOptions
{
    public string PoolKey { get; set; } = string.Empty;

    /// <summary>The pool's product. Only <c>AXB</c> pools take BindAxb; other products arrive with their actions.</summary>
    public string Product { get; set; } = "AXB";

    /// <summary>Strict city matching: when <c>ExpectCity</c> is given and has no selectable number, fail instead of falling back.</summary>
    public bool StrictCityMatch { get; set; }

    /// <summary>Numbers listed one by one.</summary>
    public List<NumberOptions> Numbers { get; set; } = [];

    /// <summary>Numbers generated as a consecutive run; added after <see cref="Numbers"/>.</summary>
    public NumberGenerationOptions? Generate { get; set; }
}

public sealed class NumberOptions
{
    public string SecretNo { get; set; } = string.Empty;

    public string City { get; set; } = string.Empty;

    /// <summary>Locked (SecretStatus 2): automatic selection skips it and an explicit PhoneNoX is refused.</summary>
    public bool Locked { get; set; }

    /// <summary>Frozen (SecretStatus 3): as locked; no API sets or clears it (R-NUM-5).</summary>
    public bool Frozen { get; set; }
}

/// <summary><see cref="Count"/> consecutive numbers from <see cref="Start"/>, given the <see cref="Cities"/> in turn.</summary>
public sealed class NumberGenerationOptions
{
    /// <summary>The first number, digits only (e.g. <c>17000000001</c>); its length is kept for every number.</summary>
    public string Start { get; set; } = string.Empty;

    public int Count { get; set; }

    /// <summary>Number i gets <c>Cities[i % Cities.Count]</c>.</summary>
    public List<string> Cities { get; set; } = [];
}
