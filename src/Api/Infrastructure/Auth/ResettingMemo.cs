using System.Collections.Concurrent;

namespace BindingService.Api.Infrastructure.Auth;

/// <summary>
/// A concurrent map of at most <see cref="Capacity"/> entries that starts again, empty, when an entry would exceed it:
/// what the memos of a caller's token remember (<see cref="VerifiedSignatures"/>, <see cref="ValidatedTokens"/>;
/// docs/security.md). Callers are few services, each with a token or two alive at a time, so starting again is rare and
/// costs one full check per token still in use; a forgotten entry is never wrong, only slower.
/// </summary>
internal sealed class ResettingMemo<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new(comparer);
    private int _count;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The memo needs room for at least one entry.");

    public bool TryGetValue(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    public void Add(TKey key, TValue value)
    {
        if (_entries.ContainsKey(key))
        {
            return;
        }

        if (Interlocked.Increment(ref _count) > Capacity)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        _entries.TryAdd(key, value);
    }
}
