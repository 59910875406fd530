using BindingService.Application.Common;

namespace BindingService.Application.Operators;

/// <summary>
/// Operators' work on a pool's virtual numbers (docs/api.md, "Operators: numbers"): buy (BuySecretNo), release
/// (ReleaseSecretNo, refused while any binding is on the number), lock and unlock, detail, and the stock on sale.
/// Every change is written to the operator audit (<see cref="IOperatorAuditLog"/>) with the caller. X is not personal
/// data; no party number passes through here.
/// </summary>
public interface INumberAdministration
{
    /// <summary>
    /// Buys one number of <paramref name="order"/>'s SpecId in its city into the pool; in a pool in local selection mode
    /// it is registered in the inventory at once (selectable). Not repeatable at the provider: the endpoint requires an
    /// Idempotency-Key so that a retry replays instead of buying twice.
    /// </summary>
    Task<Result<AdminNumberView>> BuyAsync(string poolKey, BuyNumberOrder order, string callerId, CancellationToken cancellationToken);

    /// <summary>
    /// Releases the number. Conflict <c>number.bound</c> while one of our open bindings or a provider binding is on it
    /// (nothing is unbound by this call); a repeat after a release is answered as the first one.
    /// </summary>
    Task<Result<ReleasedNumber>> ReleaseAsync(string poolKey, string secretNo, string callerId, CancellationToken cancellationToken);

    /// <summary>LockSecretNo or UnlockSecretNo; a locked number is never chosen for a new binding, existing ones keep working.</summary>
    Task<Result<AdminNumberView>> SetLockedAsync(string poolKey, string secretNo, bool locked, string callerId, CancellationToken cancellationToken);

    /// <summary>The provider's view of the number (QuerySecretNoDetail) with our inventory state and open bindings on it.</summary>
    Task<Result<AdminNumberView>> DetailAsync(string poolKey, string secretNo, CancellationToken cancellationToken);

    /// <summary>QuerySecretNoRemain: numbers on sale in a city (or 全国 / 全国列表 / 全国通用), optionally with a prefix.</summary>
    Task<Result<NumberStock>> StockAsync(string? city, long? specId, string? prefix, CancellationToken cancellationToken);
}

/// <summary>What to buy. SpecId 1 (170/171), 2 (carrier) or 3 (95, city 全国通用); Prefix fuzzy-matches the start of the number.</summary>
public sealed record BuyNumberOrder(string? City, long? SpecId, string? Prefix);

/// <summary>
/// A number as operators see it: the provider's status (unbound, bound, locked, frozen), its home, our inventory state
/// (null when the pool is not in local selection mode) and our open bindings on it.
/// </summary>
public sealed record AdminNumberView(
    string PoolKey,
    string SecretNo,
    string? City,
    string? Province,
    string ProviderStatus,
    string? InventoryState,
    int OpenBindings);

/// <summary>A released number.</summary>
public sealed record ReleasedNumber(string PoolKey, string SecretNo, DateTimeOffset ReleasedAt);

/// <summary>Numbers on sale: the total for the city asked, and per city when the list was asked (全国列表).</summary>
public sealed record NumberStock(string City, long SpecId, long Amount, IReadOnlyList<CityStock> Cities);

public sealed record CityStock(string City, long Amount);

/// <summary>The operator audit: who changed what, when. Details never hold a party's number in clear.</summary>
public interface IOperatorAuditLog
{
    /// <summary>Entries, newest first; <paramref name="before"/> (an entry id) pages back; optional filters.</summary>
    Task<Result<AuditPage>> ReadAsync(string? poolKey, string? subject, long? before, int? limit, CancellationToken cancellationToken);
}

/// <summary>One audited change. <see cref="Subject"/> is X, or a masked number for a blacklist.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string CallerId, string Action, string? PoolKey, string Subject, string? Detail);

/// <summary>A page of the audit; <see cref="NextBefore"/> is the <c>before</c> of the next page (null on the last).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? NextBefore);
