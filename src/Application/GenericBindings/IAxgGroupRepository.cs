using BindingService.Domain.Groups;

namespace BindingService.Application.GenericBindings;

/// <summary>Loads and saves G groups. Members are encrypted at rest and found by a keyed hash (invariant 5).</summary>
public interface IAxgGroupRepository
{
    /// <summary>The caller's group, or null.</summary>
    Task<AxgGroup?> FindAsync(string callerId, AxgGroupId id, CancellationToken cancellationToken);

    /// <summary>Our group for the provider's GroupId in a pool, or null (e.g. created outside this service).</summary>
    Task<AxgGroup?> FindByProviderIdAsync(string poolKey, long providerGroupId, CancellationToken cancellationToken);

    Task AddAsync(AxgGroup group, CancellationToken cancellationToken);

    /// <summary>Saves a loaded group. False when someone else changed it first.</summary>
    Task<bool> TrySaveAsync(AxgGroup group, CancellationToken cancellationToken);
}
