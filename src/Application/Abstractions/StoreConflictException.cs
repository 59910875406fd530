namespace BindingService.Application.Abstractions;

/// <summary>Which uniqueness rule of the store refused a save.</summary>
public enum StoreRule
{
    /// <summary>A tracking number leads to at most one open binding of a caller.</summary>
    TrackingNumberOfOpenBinding,

    /// <summary>A party is reserved at most once on a virtual number (local number selection).</summary>
    PartyOnVirtualNumber,

    /// <summary>Any other integrity rule of the store.</summary>
    Other,
}

/// <summary>
/// A save the store refused because it would break one of its integrity rules — not a lost race (that is
/// <see cref="IBindingRepository.TrySaveAsync"/> answering false) and not an outage. Retrying the same change fails
/// the same way, so callers answer 409, never 503. The unit of work holds the stored state again when it is thrown.
/// </summary>
public sealed class StoreConflictException(StoreRule rule, Exception innerException)
    : Exception($"The store refused the change: it would break the rule {rule}.", innerException)
{
    public StoreRule Rule { get; } = rule;
}
