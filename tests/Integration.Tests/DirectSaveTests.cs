using System.Text.Json.Nodes;
using BindingService.Application.Abstractions;
using BindingService.Application.Bindings.Events;
using BindingService.Domain.Bindings;
using BindingService.Domain.Bindings.Events;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Persistence.Configurations;
using BindingService.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BindingService.Integration.Tests;

/// <summary>
/// The lifecycle's hot saves written without EF's update pipeline (Persistence/DirectSave.cs): what they write is what
/// EF reads back, property by property (the numbers' ciphertext and hashes included); they cover every column the
/// database has; a lost race writes nothing, not even the event; a broken rule reaches the caller as EF reports it; and
/// any other shape of change is left to EF. On the fixture's migrated database.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class DirectSaveTests(ServiceFixture fixture) : IAsyncLifetime
{
    // Written by the outbox dispatcher once the row is published, so not compared.
    private static readonly string[] DispatcherColumns = [nameof(OutboxMessage.SentAt), nameof(OutboxMessage.Attempts), nameof(OutboxMessage.LastError)];

    private static readonly DateTimeOffset Now = Binding.ToTheSecond(DateTimeOffset.UtcNow);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("bindings", typeof(Binding))]
    [InlineData("outbox_messages", typeof(OutboxMessage))]
    public async Task TheStatements_NameEveryColumnOfTheTable(string table, Type entity)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var inDatabase = await db.Database
            .SqlQuery<string>($"SELECT column_name::text AS \"Value\" FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = {table}")
            .ToListAsync();

        Assert.NotEmpty(inDatabase);
        Assert.Equal(inDatabase.Order(StringComparer.Ordinal), DirectSave.ColumnsOf(db.Model, entity).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task InsertThenChangesWithEvents_StoreWhatEfReadsBack()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var binding = Binding.Request(
            new OrderKey("direct-save", BusinessLine.Delivery, $"order-{Guid.NewGuid():N}"), BindingProduct.AxnExtension, "default",
            PhoneNumber.Parse(TestPhones.Next()), PhoneNumber.Parse(TestPhones.Next()),
            new BindingSettings { ExpectCity = "杭州", Extension = "123", RecordingEnabled = true, CallRestriction = CallRestriction.PartyBCannotCall },
            Now.AddHours(2), Now);

        // The Pending insert: every column, phone numbers encrypted through the model's converters, hashes stamped.
        db.Bindings.Add(binding);
        Assert.True(await DirectSave.TrySaveAsync(db, CancellationToken.None));
        var written = Accept(db, db.Entry(binding));
        await AssertStoredAsync(written);

        // Activation with its BindingCreated row in one statement; then two later changes, each with its event.
        binding.Activate($"subs-{Guid.NewGuid():N}"[..20], "17000000001", Now.AddSeconds(1), extension: "456");
        await SaveWithEventsAsync(scope.ServiceProvider, db, binding);
        Assert.True(binding.AttachTrackingNumber($"SF{Guid.NewGuid():N}"[..20], Now.AddSeconds(2)));
        await SaveWithEventsAsync(scope.ServiceProvider, db, binding);
        Assert.True(binding.Complete(Now.AddMinutes(30), Now.AddSeconds(3)));
        await SaveWithEventsAsync(scope.ServiceProvider, db, binding);

        Assert.Equal(3, binding.Version);
        Assert.Equal(
            ["BindingCreated", "BindingUpdated", "BindingUpdated"],
            await db.OutboxMessages.AsNoTracking().Where(m => m.AggregateId == binding.Id.Value).OrderBy(m => m.Sequence).Select(m => m.MessageType).ToListAsync());
    }

    [Fact]
    public async Task ALostRace_WritesNeitherTheChangeNorItsEvent_AndIsEfsConcurrencyError()
    {
        var binding = await StoredActiveBindingAsync();

        // Two readers of the same version; the second one's change lands first.
        await using var first = fixture.Factory.Services.CreateAsyncScope();
        var firstDb = first.ServiceProvider.GetRequiredService<BindingDbContext>();
        var mine = await firstDb.Bindings.SingleAsync(b => b.Id == binding.Id);
        await using (var second = fixture.Factory.Services.CreateAsyncScope())
        {
            var secondDb = second.ServiceProvider.GetRequiredService<BindingDbContext>();
            var theirs = await secondDb.Bindings.SingleAsync(b => b.Id == binding.Id);
            Assert.True(theirs.ChangeExpiry(Now.AddHours(5), Now.AddSeconds(5)));
            await SaveWithEventsAsync(second.ServiceProvider, secondDb, theirs);
        }

        Assert.True(mine.ChangeExpiry(Now.AddHours(7), Now.AddSeconds(6)));
        var eventId = (await AddEventsAsync(first.ServiceProvider, mine)).Single();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => DirectSave.TrySaveAsync(firstDb, CancellationToken.None));

        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id = '{eventId}'"));
        Assert.Equal(Now.AddHours(5).UtcDateTime, await fixture.ScalarAsync<DateTime>($"SELECT expires_at FROM bindings WHERE id = '{binding.Id.Value}'"));
    }

    [Fact]
    public async Task AnInsertForAnOrderWithAnOpenBinding_WritesNothing_AndSaysSo()
    {
        var open = await StoredActiveBindingAsync();

        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var second = Binding.RequestAxb(open.Order, "default", PhoneNumber.Parse(TestPhones.Next()), PhoneNumber.Parse(TestPhones.Next()), null, Now.AddHours(1), Now);
        db.Bindings.Add(second);

        // The open-order index answers without an error at the database (no ERROR line in PostgreSQL's log per repeat).
        await Assert.ThrowsAsync<OpenOrderTakenException>(() => DirectSave.TrySaveAsync(db, CancellationToken.None));
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE id = '{second.Id.Value}'"));
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE caller_id = '{open.CallerId}' AND order_id = '{open.OrderId}'"));
    }

    [Fact]
    public async Task ABrokenRule_IsEfsUpdateError_NamingTheConstraint()
    {
        var first = await StoredActiveBindingAsync(NewDelivery());
        var second = await StoredActiveBindingAsync(NewDelivery());
        var trackingNumber = $"SF{Guid.NewGuid():N}"[..20];
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        foreach (var binding in new[] { first, second })
        {
            db.Bindings.Attach(binding);
            Assert.True(binding.AttachTrackingNumber(trackingNumber, Now.AddSeconds(5)));
            if (binding == first)
            {
                Assert.True(await DirectSave.TrySaveAsync(db, CancellationToken.None));
                Accept(db, db.Entry(binding));
                db.Entry(binding).State = EntityState.Detached;
            }
        }

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => DirectSave.TrySaveAsync(db, CancellationToken.None));
        Assert.Equal("ux_bindings_open_tracking_number", Assert.IsType<PostgresException>(error.InnerException).ConstraintName);
    }

    [Fact]
    public async Task OtherShapes_AreLeftToEf_AndWriteNothing()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var one = NewBinding();
        var other = NewBinding();
        db.Bindings.AddRange(one, other);

        Assert.False(await DirectSave.TrySaveAsync(db, CancellationToken.None));
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE id IN ('{one.Id.Value}', '{other.Id.Value}')"));

        // In a transaction already open the caller's transaction decides: EF's save, not this one.
        db.ChangeTracker.Clear();
        db.Bindings.Add(one);
        await using var transaction = await db.Database.BeginTransactionAsync();
        Assert.False(await DirectSave.TrySaveAsync(db, CancellationToken.None));
    }

    private async Task<Binding> StoredActiveBindingAsync(Binding? pending = null)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var binding = pending ?? NewBinding();
        db.Bindings.Add(binding);
        Assert.True(await DirectSave.TrySaveAsync(db, CancellationToken.None));
        Accept(db, db.Entry(binding));
        binding.Activate($"subs-{Guid.NewGuid():N}"[..20], "17000000002", Now.AddSeconds(1));
        await SaveWithEventsAsync(scope.ServiceProvider, db, binding);
        return binding;
    }

    private static Binding NewDelivery() =>
        Binding.Request(
            new OrderKey("direct-save", BusinessLine.Delivery, $"order-{Guid.NewGuid():N}"), BindingProduct.AxnExtension, "default",
            PhoneNumber.Parse(TestPhones.Next()), PhoneNumber.Parse(TestPhones.Next()), new BindingSettings { Extension = "123" }, Now.AddHours(2), Now);

    private static Binding NewBinding() =>
        Binding.RequestAxb(
            new OrderKey("direct-save", BusinessLine.Ride, $"order-{Guid.NewGuid():N}"), "default",
            PhoneNumber.Parse(TestPhones.Next()), PhoneNumber.Parse(TestPhones.Next()), null, Now.AddHours(2), Now);

    [Fact]
    public async Task PartyHashes_AreStampedForANewOrChangedParty_OrAStoredHashOfAnotherVersion_AndKeptOtherwise()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var protector = db.Protector;
        var (a, b, newB) = (PhoneNumber.Parse(TestPhones.Next()), PhoneNumber.Parse(TestPhones.Next()), PhoneNumber.Parse(TestPhones.Next()));
        var binding = Binding.Request(
            new OrderKey("hash-stamp", BusinessLine.Ride, $"order-{Guid.NewGuid():N}"), BindingProduct.Axb, "default", a, b, new BindingSettings(), Now.AddHours(2), Now);
        db.Bindings.Add(binding);
        Assert.True(await DirectSave.TrySaveAsync(db, CancellationToken.None));
        var entry = db.Entry(binding);
        Accept(db, entry);
        var hashA = entry.Property<byte[]?>(BindingConfiguration.PartyAHash);
        var hashB = entry.Property<byte[]?>(BindingConfiguration.PartyBHash);
        Assert.Equal(protector.Hash(a), hashA.CurrentValue);
        Assert.Equal(protector.Hash(b), hashB.CurrentValue);

        // A change that leaves the parties alone keeps their current hashes: nothing to stamp.
        binding.Activate($"subs-{Guid.NewGuid():N}"[..20], "17000000001", Now.AddSeconds(1));
        db.ChangeTracker.DetectChanges();
        db.StampPartyHashes();
        Assert.False(hashA.IsModified);
        Assert.False(hashB.IsModified);
        Assert.True(await DirectSave.TrySaveAsync(db, CancellationToken.None));
        Accept(db, entry);

        // A stored hash of a version that is not the active one (a row from before a rotation) is re-hashed on the way,
        // and a changed party gets the hash of its new number.
        var otherVersion = (byte)(protector.ActiveHashVersion + 1);
        hashA.CurrentValue = new byte[33];
        hashA.CurrentValue[0] = otherVersion;
        hashA.OriginalValue = hashA.CurrentValue;
        Assert.True(binding.ReassignPartyB(newB, Now.AddSeconds(2)));
        db.ChangeTracker.DetectChanges();
        db.StampPartyHashes();
        Assert.Equal(protector.Hash(a), hashA.CurrentValue);
        Assert.Equal(protector.Hash(newB), hashB.CurrentValue);
        Assert.True(await DirectSave.TrySaveAsync(db, CancellationToken.None));
        await AssertStoredAsync(Accept(db, entry));
    }

    /// <summary>What the unit of work does around a save: the binding's events become outbox rows; then the direct save.</summary>
    private async Task SaveWithEventsAsync(IServiceProvider services, BindingDbContext db, Binding binding)
    {
        await AddEventsAsync(services, binding);
        var outbox = db.ChangeTracker.Entries<OutboxMessage>().Single(e => e.State == EntityState.Added);
        Assert.True(await DirectSave.TrySaveAsync(db, CancellationToken.None));
        Assert.True(outbox.Entity.Sequence > 0, "the outbox row's sequence comes back from the database");
        Accept(db, db.Entry(binding));
        await AssertStoredAsync(Accept(db, outbox));
        await AssertStoredAsync(db.Entry(binding));
    }

    /// <summary>The binding's domain events as outbox rows (the unit of work's handler); their ids.</summary>
    private static async Task<List<Guid>> AddEventsAsync(IServiceProvider services, Binding binding)
    {
        var handler = new BindingEventsToOutbox(services.GetRequiredService<IIntegrationEventOutbox>());
        foreach (var domainEvent in binding.DomainEvents.OfType<BindingDomainEvent>())
        {
            await handler.HandleAsync(domainEvent, CancellationToken.None);
        }

        binding.ClearDomainEvents();
        var db = services.GetRequiredService<BindingDbContext>();
        return [.. db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Id)];
    }

    private static EntityEntry Accept(BindingDbContext db, EntityEntry entry)
    {
        db.ChangeTracker.AcceptAllChanges();
        Assert.Equal(EntityState.Unchanged, entry.State);
        return entry;
    }

    /// <summary>Every mapped property (shadow ones too) as a fresh context reads the row back.</summary>
    private async Task AssertStoredAsync(EntityEntry written)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var key = written.Metadata.FindPrimaryKey()!.Properties.Select(p => written.CurrentValues[p]).ToArray();
        var stored = await db.FindAsync(written.Metadata.ClrType, key);
        Assert.NotNull(stored);
        var read = db.Entry(stored);
        foreach (var property in written.Metadata.GetProperties().Where(p => !DispatcherColumns.Contains(p.Name) || written.Metadata.ClrType != typeof(OutboxMessage)))
        {
            Assert.True(
                Same(property, written.CurrentValues[property], read.CurrentValues[property]),
                $"{written.Metadata.DisplayName()}.{property.Name}: wrote {Show(written.CurrentValues[property])}, read {Show(read.CurrentValues[property])}");
        }
    }

    // jsonb keeps a document, not its text: compared as JSON.
    private static bool Same(IProperty property, object? a, object? b) => (a, b) switch
    {
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (string x, string y) when property.GetColumnType() == "jsonb" => JsonNode.DeepEquals(JsonNode.Parse(x), JsonNode.Parse(y)),
        _ => Equals(a, b),
    };

    // Numbers never reach a test's output: a property holding one is shown by its presence only.
    private static string Show(object? value) => value switch
    {
        null => "null",
        PhoneNumber => "a number",
        byte[] bytes => $"{bytes.Length} bytes",
        _ => value.ToString() ?? string.Empty,
    };
}
