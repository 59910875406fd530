using System.Reflection;
using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Domain.Bindings.Events;
using BindingService.Domain.Common;

namespace BindingService.Application.Tests.Fakes;

/// <summary>
/// <see cref="IBindingRepository"/> in memory, with the database's rules that the engine relies on: a Find returns
/// a fresh copy of the stored state, an insert loses to an open binding of the same order (the unique open-order
/// index), a save loses when the stored version moved since the load (the concurrency token). Saved domain events
/// are kept in <see cref="Events"/>, as the outbox would receive them.
/// </summary>
public sealed class InMemoryBindings : IBindingRepository
{
    private static readonly FieldInfo[] BindingFields = typeof(Binding).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
    private static readonly FieldInfo EventsField = typeof(AggregateRoot).GetField("_domainEvents", BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly MethodInfo Clone = typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

    private readonly Lock _lock = new();
    private readonly Dictionary<BindingId, Binding> _stored = [];
    private readonly List<(Binding Binding, int LoadedVersion)> _tracked = [];

    /// <summary>Every domain event saved, in order.</summary>
    public List<BindingDomainEvent> Events { get; } = [];

    /// <summary>Runs just before each save is checked: a test changes the stored state here to lose the race.</summary>
    public Action<InMemoryBindings>? BeforeSave { get; set; }

    /// <summary>Runs after each Find: a test changes the stored state here, as another request would meanwhile.</summary>
    public Action<InMemoryBindings>? AfterFind { get; set; }

    /// <summary>When it answers a rule, the next save is refused by the store with that rule (a unique index).</summary>
    public Func<StoreRule?>? RefuseSave { get; set; }

    /// <summary>How many saves were attempted (won or lost).</summary>
    public int Saves { get; private set; }

    /// <summary>The cancellation token each save was called with.</summary>
    public List<CancellationToken> SaveTokens { get; } = [];

    /// <summary>Stores <paramref name="binding"/> as a committed row (its events are dropped: they happened before the test).</summary>
    public Binding Seed(Binding binding)
    {
        binding.ClearDomainEvents();
        lock (_lock)
        {
            _stored[binding.Id] = Copy(binding);
        }

        return binding;
    }

    /// <summary>The committed state of a binding.</summary>
    public Binding Stored(BindingId id)
    {
        lock (_lock)
        {
            return Copy(_stored[id]);
        }
    }

    /// <summary>Changes the committed state as another request or replica would (its events are dropped).</summary>
    public void ChangeStored(BindingId id, Action<Binding> change)
    {
        lock (_lock)
        {
            var copy = Copy(_stored[id]);
            change(copy);
            copy.ClearDomainEvents();
            _stored[id] = copy;
        }
    }

    public Task<Binding?> FindOpenByOrderAsync(OrderKey order, CancellationToken cancellationToken) =>
        Find(b => b.Order == order && b.Status.IsOpen());

    public async Task<Binding?> FindCurrentByOrderAsync(OrderKey order, CancellationToken cancellationToken) =>
        await FindOpenByOrderAsync(order, cancellationToken) ?? await Find(b => b.Order == order);

    public Task<Binding?> FindByIdAsync(BindingId id, CancellationToken cancellationToken) => Find(b => b.Id == id);

    public Task<Binding?> FindOpenByTrackingNumberAsync(string callerId, string trackingNumber, CancellationToken cancellationToken) =>
        Find(b => b.CallerId == callerId && b.TrackingNumber == trackingNumber && b.Status.IsOpen());

    public Task<IReadOnlyList<Binding>> LockDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var due = _stored.Values.Where(b => b.IsDue(now)).OrderBy(b => b.ExpiresAt).Take(limit).Select(Track).ToList();
            return Task.FromResult<IReadOnlyList<Binding>>(due);
        }
    }

    public Task<bool> TryAddAsync(Binding binding, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_stored.Values.Any(b => b.Order == binding.Order && b.Status.IsOpen()))
            {
                return Task.FromResult(false);
            }

            _stored[binding.Id] = Copy(binding);
            _tracked.Add((binding, binding.Version));
            return Task.FromResult(true);
        }
    }

    public Task<bool> TrySaveAsync(CancellationToken cancellationToken)
    {
        BeforeSave?.Invoke(this);
        lock (_lock)
        {
            Saves++;
            SaveTokens.Add(cancellationToken);
            var changed = _tracked.Where(t => t.Binding.DomainEvents.Count > 0 || t.Binding.Version != t.LoadedVersion).ToList();
            if (RefuseSave?.Invoke() is { } rule)
            {
                foreach (var (binding, _) in changed)
                {
                    binding.ClearDomainEvents();
                    CopyInto(_stored[binding.Id], binding);
                }

                Retrack();
                throw new StoreConflictException(rule, new InvalidOperationException("unique index"));
            }

            if (changed.Any(t => _stored.TryGetValue(t.Binding.Id, out var stored) && stored.Version != t.LoadedVersion))
            {
                // Lost: the unit of work holds the committed state again.
                foreach (var (binding, _) in changed)
                {
                    binding.ClearDomainEvents();
                    CopyInto(_stored[binding.Id], binding);
                }

                Retrack();
                return Task.FromResult(false);
            }

            foreach (var (binding, _) in changed)
            {
                Events.AddRange(binding.DomainEvents.OfType<BindingDomainEvent>());
                binding.ClearDomainEvents();
                _stored[binding.Id] = Copy(binding);
            }

            Retrack();
            return Task.FromResult(true);
        }
    }

    public Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) => work(cancellationToken);

    private Task<Binding?> Find(Func<Binding, bool> match)
    {
        Binding? tracked;
        lock (_lock)
        {
            var found = _stored.Values.Where(match).OrderByDescending(b => b.CreatedAt).FirstOrDefault();
            tracked = found is null ? null : Track(found);
        }

        AfterFind?.Invoke(this);
        return Task.FromResult(tracked);
    }

    private Binding Track(Binding stored)
    {
        var copy = Copy(stored);
        _tracked.RemoveAll(t => t.Binding.Id == copy.Id && t.Binding.DomainEvents.Count == 0);
        _tracked.Add((copy, copy.Version));
        return copy;
    }

    private void Retrack()
    {
        for (var i = 0; i < _tracked.Count; i++)
        {
            _tracked[i] = (_tracked[i].Binding, _tracked[i].Binding.Version);
        }
    }

    private static Binding Copy(Binding source)
    {
        var copy = (Binding)Clone.Invoke(source, null)!;
        EventsField.SetValue(copy, new List<IDomainEvent>());
        return copy;
    }

    private static void CopyInto(Binding source, Binding target)
    {
        foreach (var field in BindingFields)
        {
            field.SetValue(target, field.GetValue(source));
        }
    }
}
