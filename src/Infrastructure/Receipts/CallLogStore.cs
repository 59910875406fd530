using BindingService.Application.Calls;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BindingService.Infrastructure.Receipts;

/// <summary><see cref="ICallLog"/> over the scope's DbContext: reads project straight from call_records and bindings.</summary>
internal sealed class CallLogStore(BindingDbContext db) : ICallLog
{
    public Task<bool> OrderExistsAsync(string callerId, string businessLine, string orderId, CancellationToken cancellationToken)
    {
        var line = businessLine switch
        {
            "ride" => BusinessLine.Ride,
            "delivery" => BusinessLine.Delivery,
            _ => BusinessLine.Generic,
        };
        return db.Bindings.AnyAsync(b => b.CallerId == callerId && b.BusinessLine == line && b.OrderId == orderId, cancellationToken);
    }

    public Task<bool> BindingExistsAsync(string callerId, Guid bindingId, CancellationToken cancellationToken)
    {
        var id = new BindingId(bindingId);
        return db.Bindings.AnyAsync(b => b.Id == id && b.CallerId == callerId, cancellationToken);
    }

    public async Task<IReadOnlyList<CallRecord>> PageAsync(CallFilter filter, CallCursor? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.Set<CallRecord>().AsNoTracking().Where(c => c.CallerId == filter.CallerId && c.CallTime != null);
        if (filter.BindingId is { } bindingId)
        {
            query = query.Where(c => c.BindingId == bindingId);
        }
        else
        {
            query = query.Where(c => c.BusinessLine == filter.BusinessLine && c.OrderId == filter.OrderId);
        }

        if (after is not null)
        {
            query = query.Where(c => c.CallTime < after.CallTime || (c.CallTime == after.CallTime && string.Compare(c.CallId, after.CallId) < 0));
        }

        return await query.OrderByDescending(c => c.CallTime).ThenByDescending(c => c.CallId).Take(limit).ToListAsync(cancellationToken);
    }

    public Task<CallRecord?> FindAsync(string callerId, string callId, CancellationToken cancellationToken) =>
        db.Set<CallRecord>().FirstOrDefaultAsync(c => c.CallId == callId && c.CallerId == callerId, cancellationToken);

    public Task SaveAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);
}
