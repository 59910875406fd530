using BindingService.Application.Common;

namespace BindingService.Application.Abstractions;

/// <summary>
/// The inventory of number pools in local selection mode (docs/decisions/0003-local-number-selection.md): the virtual
/// numbers operators register or configure, and their city and state as the provider last reported them. Every
/// operation answers NotFound <c>pool.not_local</c> for a pool that is not in local mode.
/// </summary>
public interface INumberPoolInventory
{
    /// <summary>The most numbers one register request may name.</summary>
    const int MaxNumbersPerRequest = 1000;

    /// <summary>
    /// Registers <paramref name="numbers"/> in the pool, asking the provider for each one's city and state; registering
    /// a known number refreshes it. A Validation error names <c>numbers</c> when the list is empty, too long or malformed.
    /// </summary>
    Task<Result<IReadOnlyList<PoolNumberView>>> RegisterAsync(string poolKey, IReadOnlyList<string>? numbers, CancellationToken cancellationToken);

    /// <summary>Every number of the pool, ordered by number.</summary>
    Task<Result<PoolNumberPage>> ListAsync(string poolKey, string? after, int? limit, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the provider about every number of the pool and records what it says; one replica syncs a pool at a time.
    /// With <paramref name="waitForOtherReplica"/> false, a sync already running elsewhere answers Unavailable
    /// <c>pool.sync_running</c> instead of waiting for it.
    /// </summary>
    Task<Result<PoolSyncReport>> SyncAsync(string poolKey, bool waitForOtherReplica, CancellationToken cancellationToken);
}

/// <summary>A number of a local pool as operators see it. X is not personal data.</summary>
/// <summary>One page of a pool's numbers in number order; <see cref="NextAfter"/> is the <c>after</c> of the next page (null on the last).</summary>
public sealed record PoolNumberPage(IReadOnlyList<PoolNumberView> Numbers, string? NextAfter)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}

public sealed record PoolNumberView(string SecretNo, string City, string State, int ActivePairs, DateTimeOffset? SyncedAt);

/// <summary>What a synchronisation found, per state; <see cref="Skipped"/> numbers could not be asked (provider unavailable).</summary>
public sealed record PoolSyncReport(string PoolKey, int Numbers, int Available, int Locked, int Frozen, int Unhealthy, int Skipped);
