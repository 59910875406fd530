using System.Collections.Concurrent;
using BindingService.AliyunSimulator.Configuration;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Gateway;

/// <summary>
/// SignatureNonces seen in the last <see cref="SimulatorOptions.NonceWindowMinutes"/>, per AccessKeyId (docs/provider-rules.md R-SIG-3).
/// Lock-free: the first caller to claim a nonce wins, however many race for it.
/// </summary>
public sealed class NonceCache(TimeProvider timeProvider, IOptions<SimulatorOptions> options)
{
    private const int PurgeEvery = 4096;

    private readonly ConcurrentDictionary<(string AccessKeyId, string Nonce), DateTimeOffset> seen = new();
    private readonly TimeSpan window = TimeSpan.FromMinutes(options.Value.NonceWindowMinutes);
    private int claims;

    /// <summary>True when the nonce was free (and is now used); false when it was used within the window.</summary>
    public bool TryClaim(string accessKeyId, string nonce)
    {
        var now = timeProvider.GetUtcNow();
        var key = (accessKeyId, nonce);
        var expires = now + window;
        while (true)
        {
            if (seen.TryAdd(key, expires))
            {
                if (Interlocked.Increment(ref claims) % PurgeEvery == 0)
                {
                    Purge(now);
                }

                return true;
            }

            if (seen.TryGetValue(key, out var existing))
            {
                if (existing > now)
                {
                    return false;
                }

                if (seen.TryUpdate(key, expires, existing))
                {
                    return true;
                }
            }
        }
    }

    public void Clear() => seen.Clear();

    private void Purge(DateTimeOffset now)
    {
        foreach (var entry in seen)
        {
            if (entry.Value <= now)
            {
                seen.TryRemove(entry);
            }
        }
    }
}
