using System.ComponentModel.DataAnnotations;

namespace BindingService.Application.Common;

/// <summary>Configuration section "Protection".</summary>
public sealed class ProtectionOptions
{
    public const string SectionName = "Protection";

    /// <summary>Expiry when the request gives none.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Shortest expiry accepted (the provider needs more than one minute).</summary>
    public TimeSpan MinTtl { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest expiry accepted.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a request waits for a concurrent identical request's binding to settle.</summary>
    public TimeSpan PendingWaitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a provider call that changes something, and the save after it, may take once sent. They run under
    /// this bound instead of the caller's request, so a caller that disconnects mid-change cannot leave the provider
    /// changed and our database not.
    /// </summary>
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Aliyun pool ride orders are bound in (defaults to Aliyun:PoolKey when empty).</summary>
    public string? RidePoolKey { get; set; }

    /// <summary>How long a completed trip's binding stays usable (lost-item calls) before it ends.</summary>
    public TimeSpan PostTripGrace { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The AXN-extension pool delivery orders are bound in (defaults to Pools:AxnExtension).</summary>
    public string? DeliveryPoolKey { get; set; }

    /// <summary>The AXB pool for delivery orders that ask for AXB (defaults to Pools:Axb, then Aliyun:PoolKey).</summary>
    public string? DeliveryAxbPoolKey { get; set; }

    /// <summary>Default pool per product for generic bindings and groups: keys Axb, Axn, AxnExtension, Axg.</summary>
    public Dictionary<string, string> Pools { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The pools a caller may name for generic bindings and G groups, by caller id (<c>Protection:CallerPools:&lt;callerId&gt;:0</c> …).
    /// A caller without an entry may name only the service's own pools (<see cref="Pools"/>, the ride and delivery pools,
    /// Aliyun:PoolKey). Every pool listed here is one the service is configured for: the reconciler audits it.
    /// </summary>
    public Dictionary<string, string[]> CallerPools { get; set; } = new(StringComparer.Ordinal);
}
