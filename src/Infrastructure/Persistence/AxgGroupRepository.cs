using BindingService.Application.GenericBindings;
using BindingService.Domain.Groups;
using BindingService.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;

namespace BindingService.Infrastructure.Persistence;

internal sealed class AxgGroupRepository(BindingDbContext db) : IAxgGroupRepository
{
    /// <summary>The group as the database has it now: an earlier tracked instance of it is replaced (never one with unsaved changes).</summary>
    public async Task<AxgGroup?> FindAsync(string callerId, AxgGroupId id, CancellationToken cancellationToken)
    {
        if (db.ChangeTracker.Entries<AxgGroup>().FirstOrDefault(e => e.Entity.Id == id) is { } earlier)
        {
            db.ChangeTracker.DetectChanges();
            if (earlier.State != EntityState.Unchanged)
            {
                throw new InvalidOperationException($"G group {id} was read again while it had unsaved changes.");
            }

            Detach(id);
        }

        return await db.AxgGroups.AsTracking().FirstOrDefaultAsync(g => g.Id == id && g.CallerId == callerId, cancellationToken);
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
            Detach(group.Id); // the caller finds it again, as the winner left it
            return false;
        }
    }

    /// <summary>Stops tracking the group and its members.</summary>
    private void Detach(AxgGroupId id)
    {
        foreach (var member in db.ChangeTracker.Entries<AxgGroupMember>().Where(e => e.Property("GroupId").CurrentValue is { } owner && (owner is AxgGroupId g ? g == id : Equals(owner, id.Value))).ToList())
        {
            member.State = EntityState.Detached;
        }

        foreach (var group in db.ChangeTracker.Entries<AxgGroup>().Where(e => e.Entity.Id == id).ToList())
        {
            group.State = EntityState.Detached;
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
