namespace BindingService.AliyunSimulator.State;

/// <summary>The pool products the binding actions know (docs/provider-rules.md, 'Actions'). A pool has one product; an X belongs to one pool (B.20).</summary>
public static class Products
{
    public const string Axb = "AXB";
    public const string Axn = "AXN";

    /// <summary>AXN with extensions (the legacy ProductType <c>AXN_EXTENSION_REUSE</c>).</summary>
    public const string AxnExtension = "AXN_EXTENSION";
    public const string Axg = "AXG";

    /// <summary>Pool products are compared case-insensitively, as configuration is written by hand.</summary>
    public static bool Is(string poolProduct, string product) => string.Equals(poolProduct, product, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A binding (subscription) as the provider holds it. Mutable state, only touched under the store's lock.</summary>
public sealed class Binding
{
    public required string SubsId { get; init; }

    public required string PoolKey { get; init; }

    /// <summary>The pool's product when the binding was made (one of <see cref="Products"/>).</summary>
    public required string Product { get; init; }

    public required string SecretNo { get; init; }

    public required string PhoneNoA { get; set; }

    /// <summary>Required for AXB; optional (the number A reaches when calling X) for AXN, AXN extension and AXG.</summary>
    public required string? PhoneNoB { get; set; }

    public required DateTimeOffset Expiration { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The 1–3 digit extension of an AXN-extension binding; null for the other products.</summary>
    public string? Extension { get; init; }

    /// <summary>The G group of an AXG binding (changed by <c>updateAxgGroup</c>); null for the other products.</summary>
    public long? GroupId { get; set; }

    /// <summary>Tracking numbers attached with AddAxnTrackNo (R-LOG-1), in the order they were added.</summary>
    public List<string> TrackNos { get; } = [];

    public string? OutId { get; set; }

    public string? OutOrderId { get; set; }

    /// <summary><c>CONTROL_AX_DISABLE</c>, <c>CONTROL_BX_DISABLE</c> or null when no restriction is set.</summary>
    public string? CallRestrict { get; set; }

    public bool NeedRecord { get; set; }

    public int? CallDisplayType { get; set; }

    public string? RingConfig { get; set; }

    public bool AsrStatus { get; set; }

    public string? AsrModelId { get; set; }

    public int? CallTimeout { get; set; }

    /// <summary>BindAxn's legacy number type (R-BIND-8), stored as sent.</summary>
    public string? NoType { get; init; }

    /// <summary>In effect until its expiry; an expired binding stays queryable with Status 0 (R-UNB-2).</summary>
    public bool IsActiveAt(DateTimeOffset now) => Expiration > now;

    /// <summary>True when <paramref name="number"/> is one of the binding's parties.</summary>
    public bool Involves(string number) =>
        string.Equals(PhoneNoA, number, StringComparison.Ordinal) || string.Equals(PhoneNoB, number, StringComparison.Ordinal);

    public BindingSnapshot Snapshot(DateTimeOffset now) => new(
        SubsId, PoolKey, Product, SecretNo, PhoneNoA, PhoneNoB, Expiration, CreatedAt, IsActiveAt(now) ? 1 : 0,
        OutId, OutOrderId, CallRestrict, NeedRecord, CallDisplayType, RingConfig, AsrStatus, AsrModelId, CallTimeout)
    {
        Extension = Extension,
        GroupId = GroupId,
        TrackNos = [.. TrackNos],
        NoType = NoType,
    };
}

/// <summary>An immutable copy of a <see cref="Binding"/>, safe to use outside the store's lock.</summary>
public sealed record BindingSnapshot(
    string SubsId,
    string PoolKey,
    string Product,
    string SecretNo,
    string PhoneNoA,
    string? PhoneNoB,
    DateTimeOffset Expiration,
    DateTimeOffset CreatedAt,
    int Status,
    string? OutId,
    string? OutOrderId,
    string? CallRestrict,
    bool NeedRecord,
    int? CallDisplayType,
    string? RingConfig,
    bool AsrStatus,
    string? AsrModelId,
    int? CallTimeout)
{
    public string? Extension { get; init; }

    public long? GroupId { get; init; }

    public IReadOnlyList<string> TrackNos { get; init; } = [];

    public string? NoType { get; init; }
}
