using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BindingService.Infrastructure.Security;

/// <summary>
/// Reads bindings that a job has locked, passing by the ones whose numbers cannot be decrypted (a removed key, a damaged
/// ciphertext): each of those is logged (its id only) and stamped <c>numbers_unreadable_at</c>, so the jobs' queries
/// skip it from then on and one bad row never stalls a job. The re-encryption job clears the stamp once the row reads.
/// </summary>
internal static partial class UnreadableRows
{
    /// <summary>The readable bindings among <paramref name="ids"/> (untracked), in the order given; the others are stamped and logged.</summary>
    public static async Task<IReadOnlyList<Binding>> ReadAsync(
        BindingDbContext db, IReadOnlyList<Guid> ids, string job, DateTimeOffset now, ILogger logger, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var keys = ids.Select(id => new BindingId(id)).ToList();
        try
        {
            var all = await db.Bindings.AsNoTracking().Where(b => keys.Contains(b.Id)).ToListAsync(cancellationToken);
            return [.. all.OrderBy(b => IndexOf(ids, b.Id.Value))];
        }
        catch (Exception ex) when (StoredNumberUnreadableException.IsIn(ex))
        {
            // One of them does not read: read them one by one to find which.
        }

        var readable = new List<Binding>(ids.Count);
        var unreadable = new List<Guid>();
        foreach (var key in keys)
        {
            try
            {
                if (await db.Bindings.AsNoTracking().FirstOrDefaultAsync(b => b.Id == key, cancellationToken) is { } binding)
                {
                    readable.Add(binding);
                }
            }
            catch (Exception ex) when (StoredNumberUnreadableException.IsIn(ex))
            {
                unreadable.Add(key.Value);
                LogUnreadable(logger, job, key, ex.GetType().Name);
            }
        }

        await MarkAsync(db, unreadable, now, cancellationToken);
        return readable;
    }

    /// <summary>Stamps <c>numbers_unreadable_at</c> on <paramref name="ids"/>.</summary>
    public static async Task MarkAsync(BindingDbContext db, IReadOnlyList<Guid> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ids.Count > 0)
        {
            var array = ids.ToArray();
            await db.Database.ExecuteSqlAsync($"UPDATE bindings SET numbers_unreadable_at = {now} WHERE id = ANY({array})", cancellationToken);
        }
    }

    private static int IndexOf(IReadOnlyList<Guid> ids, Guid id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    [LoggerMessage(EventId = 4601, Level = LogLevel.Warning, Message = "{Job}: binding {BindingId} has a phone number that cannot be decrypted ({Reason}); skipped and marked unreadable — see docs/operations.md, Rotating keys")]
    private static partial void LogUnreadable(ILogger logger, string job, BindingId bindingId, string reason);
}
