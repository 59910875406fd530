using System.Text.Json;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Domain.Groups;
using BindingService.Infrastructure.Messaging;
using BindingService.Infrastructure.Numbers;
using BindingService.Infrastructure.Persistence.Configurations;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace BindingService.Infrastructure.Persistence;

/// <summary>
/// The service's one DbContext. Saving stamps the phone lookup hashes; domain events become outbox rows through
/// their handlers when the <see cref="UnitOfWork"/> saves, and the <see cref="OutboxDispatcher"/> publishes them
/// after commit.
/// </summary>
/// <remarks>
/// The service pools its contexts (<c>AddDbContextPool</c>, docs/performance.md): building a context's options on
/// every request cost more than the lookup it served. A pooled context is made with its options only, so the phone
/// protector travels in them (<see cref="PhoneProtectorExtension"/>); <see cref="Create"/> builds one by hand.
/// </remarks>
public sealed class BindingDbContext(DbContextOptions<BindingDbContext> options) : DbContext(options)
{
    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    private readonly PhoneNumberProtector protector = PhoneProtectorExtension.From(options);

    /// <summary>A context outside dependency injection (tools, benchmarks), with <paramref name="protector"/>'s keys.</summary>
    public static BindingDbContext Create(DbContextOptions<BindingDbContext> options, PhoneNumberProtector protector) =>
        new((DbContextOptions<BindingDbContext>)options.WithExtension(new PhoneProtectorExtension(protector)));

    public DbSet<Binding> Bindings => Set<Binding>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<AxgGroup> AxgGroups => Set<AxgGroup>();

    internal PhoneNumberProtector Protector => protector;

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync.");

    /// <summary>Stamps the phone lookup hashes (persistence's own business), then saves. Events are the unit of work's.</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampPartyHashes();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
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
        modelBuilder.ApplyConfiguration(new Operators.OperatorAuditConfiguration());
        modelBuilder.ApplyConfiguration(new Operators.BlacklistEntryConfiguration());
        modelBuilder.ApplyConfiguration(new Operators.PoolCapacityStateConfiguration());
        modelBuilder.ApplyConfiguration(new Logistics.PickUpWaybillConfiguration());
        modelBuilder.ApplyConfiguration(new Receipts.ReceiptInboxConfiguration());
        modelBuilder.ApplyConfiguration(new Receipts.CallRecordConfiguration());
    }

    /// <summary>
    /// Sets the lookup hashes of every added or changed binding whose party is new or changed, or whose stored hash is
    /// not under the active hash version (a binding saved by a request is re-hashed on the way: docs/operations.md,
    /// "Rotating keys"). An unchanged party with a current hash keeps it: the same key gives the same hash.
    /// </summary>
    internal void StampPartyHashes()
    {
        foreach (var entry in ChangeTracker.Entries<Binding>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                Stamp(entry, nameof(Binding.PartyA), BindingConfiguration.PartyAHash, entry.Entity.PartyA);
                Stamp(entry, nameof(Binding.PartyB), BindingConfiguration.PartyBHash, entry.Entity.PartyB);
            }
        }
    }

    private void Stamp(EntityEntry<Binding> entry, string party, string hashProperty, PhoneNumber? number)
    {
        var hash = entry.Property<byte[]?>(hashProperty);
        if (entry.State == EntityState.Modified
            && !entry.Property(party).IsModified
            && (number is null or { IsErased: true } ? hash.CurrentValue is null : hash.CurrentValue is { } stored && PhoneNumberProtector.HashVersionOf(stored) == protector.ActiveHashVersion))
        {
            return;
        }

        hash.CurrentValue = number is { IsErased: false } present ? protector.Hash(present) : null;
    }
}

/// <summary>The model captures the phone protector's keys, so models are cached per key set.</summary>
internal sealed class ProtectorModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is BindingDbContext db ? (context.GetType(), db.Protector.ModelKey, designTime) : (context.GetType(), designTime);
}
