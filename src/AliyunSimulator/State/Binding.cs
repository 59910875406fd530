namespace BindingService.AliyunSimulator.State;

/// <summary>A binding (subscription) as the provider holds it. Mutable state, only touched under the store's lock.</summary>
public sealed class Binding
{
    public required string SubsId { get; init; }

    public required string PoolKey { get; init; }

    /// <summary>The pool's product when the binding was made (<c>AXB</c>).</summary>
    public required string Product { get; init; }

    public required string SecretNo { get; init; }

    public required string PhoneNoA { get; set; }

    public required string PhoneNoB { get; set; }

    public required DateTimeOffset Expiration { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

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

    /// <summary>In effect until its expiry; an expired binding stays queryable with Status 0 (R-UNB-2).</summary>
    public bool IsActiveAt(DateTimeOffset now) => Expiration > now;

    /// <summary>True when <paramref name="number"/> is one of the binding's parties.</summary>
    public bool Involves(string number) =>
        string.Equals(PhoneNoA, number, StringComparison.Ordinal) || string.Equals(PhoneNoB, number, StringComparison.Ordinal);

    public BindingSnapshot Snapshot(DateTimeOffset now) => new(
        SubsId, PoolKey, Product, SecretNo, PhoneNoA, PhoneNoB, Expiration, CreatedAt, IsActiveAt(now) ? 1 : 0,
        OutId, OutOrderId, CallRestrict, NeedRecord, CallDisplayType, RingConfig, AsrStatus, AsrModelId, CallTimeout);
}

/// <summary>An immutable copy of a <see cref="Binding"/>, safe to use outside the store's lock.</summary>
public sealed record BindingSnapshot(
    string SubsId,
    string PoolKey,
    string Product,
    string SecretNo,
    string PhoneNoA,
    string PhoneNoB,
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
    int? CallTimeout);
