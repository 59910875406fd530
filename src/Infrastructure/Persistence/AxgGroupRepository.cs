using BindingService.Application.GenericBindings;
using BindingService.Domain.Groups;
using BindingService.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;

namespace BindingService.Infrastructure.Persistence;

internal sealed class AxgGroupRepository(BindingDbContext db) : IAxgGroupRepository
{
    public async Task<AxgGroup?> FindAsync(string callerId, AxgGroupId id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.AxgGroups.FirstOrDefaultAsync(g => g.Id == id && g.CallerId == callerId, cancellationToken);
    }

    public async Task<AxgGroup?> FindByProviderIdAsync(string poolKey, long providerGroupId, CancellationToken cancellationToken) =>
        await db.AxgGroups.AsNoTracking().FirstOrDefaultAsync(g => g.PoolKey == poolKey && g.ProviderGroupId == providerGroupId, cancellationToken);

    public async Task AddAsync(AxgGroup group, CancellationToken cancellationToken)
    {
        db.AxgGroups.Add(group);
        StampMemberHashes();
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<bool> TrySaveAsync(AxgGroup group, CancellationToken cancellationToken)
    {
        StampMemberHashes();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>Invariant 5: members are found by a keyed hash, never by the number in clear.</summary>
    private void StampMemberHashes()
    {
        db.ChangeTracker.DetectChanges();
        foreach (var entry in db.ChangeTracker.Entries<AxgGroupMember>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                entry.Property(AxgGroupConfiguration.MemberHash).CurrentValue = db.Protector.Hash(entry.Entity.Number);
            }
        }
    }
}
