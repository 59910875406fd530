using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BindingService.Infrastructure.Persistence;

internal sealed class BindingRepository(BindingDbContext db) : IBindingRepository
{
    public async Task<Binding?> FindOpenByOrderAsync(OrderKey order, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Bindings
            .Where(b => b.CallerId == order.CallerId && b.BusinessLine == order.BusinessLine && b.OrderId == order.OrderId)
            .Where(b => b.Status == BindingStatus.Pending || b.Status == BindingStatus.Active)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<Binding?> FindLatestByOrderAsync(OrderKey order, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Bindings
            .Where(b => b.CallerId == order.CallerId && b.BusinessLine == order.BusinessLine && b.OrderId == order.OrderId)
            .OrderByDescending(b => b.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<Binding?> FindByIdAsync(BindingId id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Bindings.FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
    }

    public async Task<Binding?> FindOpenByTrackingNumberAsync(string callerId, string trackingNumber, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Bindings
            .Where(b => b.CallerId == callerId && b.TrackingNumber == trackingNumber)
            .Where(b => b.Status == BindingStatus.Pending || b.Status == BindingStatus.Active)
            .OrderByDescending(b => b.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<bool> TryAddAsync(Binding binding, CancellationToken cancellationToken)
    {
        db.Bindings.Add(binding);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: BindingConfiguration.OpenOrderIndex })
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    public async Task<bool> TrySaveAsync(Binding binding, CancellationToken cancellationToken)
    {
        // Every Find starts a fresh unit of work: a binding loaded before another Find is no longer tracked, and saving
        // it would silently write nothing (not the change, not its events). That is a bug in the caller: say so.
        if (db.Entry(binding).State == EntityState.Detached)
        {
            throw new InvalidOperationException(
                $"Binding {binding.Id} is not tracked any more (another Find cleared the unit of work after it was loaded); load it last, then change and save it.");
        }

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
}
