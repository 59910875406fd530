using System.Collections.Concurrent;
using System.Reflection;
using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Infrastructure.Persistence;

/// <summary>
/// Work that must commit in the transaction of a save besides EF's own rows (e.g. SQL a domain-event handler needs):
/// enlisted by a handler, run after EF's writes, forgotten after commit or when the save is given up.
/// </summary>
internal interface ITransactionWork
{
    /// <summary>Whether <see cref="RunAsync"/> has anything to write (a save without any runs as EF's own save).</summary>
    bool HasWork { get; }

    Task RunAsync(BindingDbContext db, CancellationToken cancellationToken);

    void Reset();
}

/// <summary>
/// Saves the scope's unit of work. A save collects the domain events of the tracked aggregates, hands each to its
/// <see cref="IDomainEventHandler{TEvent}"/>s (which add outbox rows and enlist <see cref="ITransactionWork"/>), then
/// writes everything in one transaction and wakes the outbox dispatcher. A lost race (concurrency token) reverts the
/// tracked bindings to the database's state, so the caller can decide again.
/// </summary>
internal sealed class UnitOfWork(BindingDbContext db, IServiceProvider services, IEnumerable<ITransactionWork> work, OutboxSignal outboxSignal)
{
    private readonly ITransactionWork[] _work = [.. work];

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        // Changes are detected once per save, after the handlers have run (so whatever they change is seen; what
        // they add is tracked as they add it), and not again by each look at the tracker below (the hashes, the
        // direct save, EF's save): each of those compared every tracked entity with its snapshot (docs/performance.md,
        // changes 24 and 32). Nothing before the handlers needs the detected states: they are chosen by the domain
        // events the aggregates hold.
        var tracker = db.ChangeTracker;
        var autoDetect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            await SaveDetectedAsync(cancellationToken);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private async Task SaveDetectedAsync(CancellationToken cancellationToken)
    {
        var changed = db.ChangeTracker.Entries<Binding>().Select(e => e.Entity).Where(b => b.DomainEvents.Count > 0).ToList();
        var raised = changed.SelectMany(b => b.DomainEvents).ToList();
        foreach (var domainEvent in raised)
        {
            await DispatchAsync(domainEvent, cancellationToken);
        }

        db.ChangeTracker.DetectChanges();

        if (db.Database.CurrentTransaction is not null)
        {
            await WriteAsync(cancellationToken);
        }
        else if (!Array.Exists(_work, w => w.HasWork))
        {
            // EF's rows only. The lifecycle's hot shapes — a binding inserted; a binding changed with its event — go as
            // one statement each (DirectSave); anything else is EF's own save, which is atomic (it opens a transaction
            // when there is more than one statement, and retries through the execution strategy), and sends a single
            // statement without BEGIN/COMMIT (docs/performance.md).
            if (!await DirectSave.TrySaveAsync(db, cancellationToken))
            {
                await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            }
        }
        else
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await WriteAsync(ct);
                await transaction.CommitAsync(ct);
            }, cancellationToken);
        }

        db.ChangeTracker.AcceptAllChanges();
        foreach (var binding in changed)
        {
            binding.ClearDomainEvents();
        }

        foreach (var item in _work)
        {
            item.Reset();
        }

        if (raised.Count > 0)
        {
            outboxSignal.Notify();
        }
    }

    /// <summary>Gives a lost save up: the changed bindings hold the database's values again, nothing queued stays.</summary>
    public async Task RevertAsync(CancellationToken cancellationToken)
    {
        DropQueued();
        foreach (var entry in db.ChangeTracker.Entries<Binding>().ToList())
        {
            entry.Entity.ClearDomainEvents();
            if (entry.State == EntityState.Added)
            {
                entry.State = EntityState.Detached;
            }
            else if (entry.State != EntityState.Unchanged)
            {
                await entry.ReloadAsync(cancellationToken); // Detached when the row is gone
            }
        }
    }

    /// <summary>Stops tracking <paramref name="binding"/> (an insert that lost to a concurrent one).</summary>
    public void Forget(Binding binding)
    {
        binding.ClearDomainEvents();
        db.Entry(binding).State = EntityState.Detached;
        DropQueued();
    }

    /// <summary>Runs <paramref name="work"/> in one transaction; after a transient failure, again from a clean unit of work.</summary>
    public Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var attempt = 0;
        return db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            if (attempt++ > 0)
            {
                ForgetAll();
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
        foreach (var item in _work)
        {
            await item.RunAsync(db, cancellationToken);
        }
    }

    private Task DispatchAsync(IDomainEvent domainEvent, CancellationToken cancellationToken) =>
        Dispatchers.GetOrAdd(domainEvent.GetType(), CreateDispatcher)(services, domainEvent, cancellationToken);

    private static readonly ConcurrentDictionary<Type, Func<IServiceProvider, IDomainEvent, CancellationToken, Task>> Dispatchers = new();

    /// <summary>Calls the handlers of the event's type and of each of its base types, in that order.</summary>
    private static Func<IServiceProvider, IDomainEvent, CancellationToken, Task> CreateDispatcher(Type eventType)
    {
        var steps = new List<Func<IServiceProvider, IDomainEvent, CancellationToken, Task>>();
        for (var type = eventType; type is not null && typeof(IDomainEvent).IsAssignableFrom(type); type = type.BaseType)
        {
            var method = typeof(UnitOfWork).GetMethod(nameof(HandleAsync), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
            steps.Add(method.CreateDelegate<Func<IServiceProvider, IDomainEvent, CancellationToken, Task>>());
        }

        return async (services, domainEvent, cancellationToken) =>
        {
            foreach (var step in steps)
            {
                await step(services, domainEvent, cancellationToken);
            }
        };
    }

    private static async Task HandleAsync<TEvent>(IServiceProvider services, IDomainEvent domainEvent, CancellationToken cancellationToken)
        where TEvent : IDomainEvent
    {
        foreach (var handler in services.GetServices<IDomainEventHandler<TEvent>>())
        {
            await handler.HandleAsync((TEvent)domainEvent, cancellationToken);
        }
    }

    private void DropQueued()
    {
        foreach (var entry in db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }

        foreach (var item in _work)
        {
            item.Reset();
        }
    }

    /// <summary>A transaction is being tried again: nothing of the failed attempt may be saved twice.</summary>
    private void ForgetAll()
    {
        DropQueued();
        foreach (var entry in db.ChangeTracker.Entries<Binding>().ToList())
        {
            entry.Entity.ClearDomainEvents();
            entry.State = EntityState.Detached;
        }
    }
}
