using System.Text.Json;
using BindingService.Application.Bindings;
using BindingService.Domain.Bindings;
using BindingService.Domain.Bindings.Events;
using BindingService.Domain.Groups;
using BindingService.Infrastructure.Messaging;
using BindingService.Infrastructure.Numbers;
using BindingService.Infrastructure.Persistence.Configurations;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace BindingService.Infrastructure.Persistence;

/// <summary>
/// The service's one DbContext. Saving stamps the phone lookup hashes and turns every domain event
/// of a tracked binding into an outbox row in the same transaction (invariant 4); nothing is
/// published from here — the <see cref="OutboxDispatcher"/> does that after commit.
/// </summary>
public sealed class BindingDbContext(
    DbContextOptions<BindingDbContext> options,
    PhoneNumberProtector protector,
    OutboxSignal outboxSignal) : DbContext(options)
{
    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    public DbSet<Binding> Bindings => Set<Binding>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<AxgGroup> AxgGroups => Set<AxgGroup>();

    internal PhoneNumberProtector Protector => protector;

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync.");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampPartyHashes();
        var reservations = NumberReservationRelease.Collect(ChangeTracker, protector);
        var queued = QueueDomainEvents();
        var written = reservations.IsEmpty
            ? await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken)
            : await reservations.SaveWithAsync(this, () => base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken), acceptAllChangesOnSuccess, cancellationToken);
        if (queued > 0)
        {
            outboxSignal.Notify();
        }

        return written;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new BindingConfiguration(protector));
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
        modelBuilder.ApplyConfiguration(new AxgGroupConfiguration(protector));
        modelBuilder.ApplyConfiguration(new IdempotencyKeyConfiguration());
        modelBuilder.ApplyConfiguration(new PoolNumberConfiguration());
        modelBuilder.ApplyConfiguration(new NumberReservationConfiguration());
        modelBuilder.ApplyConfiguration(new PartyLastNumberConfiguration());
        modelBuilder.ApplyConfiguration(new Jobs.Reconciliation.PoolScanConfiguration());
    }

    private void StampPartyHashes()
    {
        foreach (var entry in ChangeTracker.Entries<Binding>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                entry.Property(BindingConfiguration.PartyAHash).CurrentValue = protector.Hash(entry.Entity.PartyA);
                entry.Property(BindingConfiguration.PartyBHash).CurrentValue = entry.Entity.PartyB is { } b ? protector.Hash(b) : null;
            }
        }
    }

    private int QueueDomainEvents()
    {
        var queued = 0;
        foreach (var entry in ChangeTracker.Entries<Binding>().ToList())
        {
            var binding = entry.Entity;
            foreach (var domainEvent in binding.DomainEvents.OfType<BindingDomainEvent>())
            {
                var eventId = Guid.CreateVersion7(domainEvent.OccurredAt);
                var integrationEvent = BindingIntegrationEvents.From(domainEvent, eventId);
                OutboxMessages.Add(new OutboxMessage
                {
                    Id = eventId,
                    AggregateId = binding.Id.Value,
                    MessageType = integrationEvent.GetType().Name,
                    Payload = JsonSerializer.Serialize(integrationEvent, integrationEvent.GetType(), PayloadJson),
                    OccurredAt = domainEvent.OccurredAt,
                });
                queued++;
            }

            binding.ClearDomainEvents();
        }

        return queued;
    }
}

/// <summary>The model captures the phone protector's keys, so models are cached per key set.</summary>
internal sealed class ProtectorModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is BindingDbContext db ? (context.GetType(), db.Protector.KeyId, designTime) : (context.GetType(), designTime);
}
