using BindingService.Application.Common;

namespace BindingService.Application.Operators;

/// <summary>
/// Operators' blacklists (docs/api.md, "Operators: blacklists"): pairs of numbers that may not call each other through a
/// pool (AddSecretBlacklist / DeleteSecretBlacklist, point to point, one or both directions, with a reason) and numbers
/// whose calls an AXN pool rejects (OperateBlackNo). Stored (numbers encrypted, looked up by hash), audited, listed
/// newest first with numbers masked. Adding an entry that is already there answers it without a provider call.
/// </summary>
public interface IBlacklists
{
    Task<Result<BlacklistOutcome>> AddPairAsync(PairToBlacklist pair, string callerId, CancellationToken cancellationToken);

    Task<Result<BlacklistOutcome>> AddNumberAsync(NumberToBlacklist number, string callerId, CancellationToken cancellationToken);

    /// <summary>Removes the entry at the provider and marks it deleted; deleting it again answers the same.</summary>
    Task<Result<BlacklistEntryView>> DeleteAsync(long id, string callerId, CancellationToken cancellationToken);

    /// <summary>Entries still in force, newest first; <paramref name="before"/> (an entry id) pages back.</summary>
    Task<Result<BlacklistPage>> ListAsync(string? poolKey, string? kind, long? before, int? limit, CancellationToken cancellationToken);
}

/// <summary>
/// A pair: <see cref="Direction"/> <c>both</c> (default), <c>firstToSecond</c> (only first → second is blocked) or
/// <c>secondToFirst</c>.
/// </summary>
public sealed record PairToBlacklist(string? PoolKey, string? First, string? Second, string? Direction, string? Reason);

/// <summary>A number whose calls the AXN pool rejects.</summary>
public sealed record NumberToBlacklist(string? PoolKey, string? Number, string? Reason);

/// <summary>A blacklist entry; numbers masked. Kind <c>pair</c> or <c>number</c>.</summary>
public sealed record BlacklistEntryView(
    long Id,
    string Kind,
    string PoolKey,
    string First,
    string? Second,
    string? Direction,
    string? Reason,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeletedAt);

/// <summary>The entry, and whether this request created it (false: it was already there).</summary>
public sealed record BlacklistOutcome(BlacklistEntryView Entry, bool Created);

public sealed record BlacklistPage(IReadOnlyList<BlacklistEntryView> Entries, long? NextBefore);
