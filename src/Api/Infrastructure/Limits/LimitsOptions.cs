using System.ComponentModel.DataAnnotations;

namespace BindingService.Api.Infrastructure.Limits;

/// <summary>
/// Configuration section "Limits": what one caller and one request may cost (docs/security.md, docs/configuration.md).
/// </summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>The largest request body accepted; a larger one is answered 413 <c>request.too_large</c>.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long a request may run before it is answered 504 <c>request.timeout</c> (health endpoints excepted).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests served at once by one instance; beyond it (and the queue) 503 <c>server.busy</c>.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentRequests { get; set; } = 1000;

    /// <summary>Requests that may wait for a slot when <see cref="MaxConcurrentRequests"/> are running.</summary>
    [Range(0, 100_000)]
    public int ConcurrencyQueueLimit { get; set; } = 100;

    /// <summary>Per-caller rate limits (token buckets), one bucket per caller and route group.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();
}

/// <summary>
/// Per-caller token buckets. A caller's limit for a route group is, the first that is set: <c>Callers:&lt;id&gt;:Groups:&lt;group&gt;</c>,
/// <c>Callers:&lt;id&gt;:Default</c>, <c>Groups:&lt;group&gt;</c>, <c>Default</c>. Groups: rides, deliveries, bindings, admin.
/// </summary>
public sealed class RateLimitOptions
{
    public TokenBucket Default { get; set; } = new();

    public Dictionary<string, TokenBucket> Groups { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, CallerRateLimits> Callers { get; set; } = new(StringComparer.Ordinal);

    public TokenBucket For(string callerId, string group)
    {
        if (Callers.TryGetValue(callerId, out var caller))
        {
            if (caller.Groups.TryGetValue(group, out var callerGroup))
            {
                return callerGroup;
            }

            if (caller.Default is { } callerDefault)
            {
                return callerDefault;
            }
        }

        return Groups.TryGetValue(group, out var groupLimit) ? groupLimit : Default;
    }
}

public sealed class CallerRateLimits
{
    public TokenBucket? Default { get; set; }

    public Dictionary<string, TokenBucket> Groups { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A token bucket: bursts up to <see cref="TokenLimit"/>, then <see cref="TokensPerPeriod"/> per <see cref="ReplenishmentPeriod"/>.</summary>
public sealed class TokenBucket
{
    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; } = 1000;

    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 500;

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
