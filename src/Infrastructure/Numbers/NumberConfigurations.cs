using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BindingService.Infrastructure.Numbers;

/// <summary>The inventory of local pools. The two partial indexes make choosing X an index lookup (ADR 0003).</summary>
internal sealed class PoolNumberConfiguration : IEntityTypeConfiguration<PoolNumber>
{
    public const string Table = "pool_numbers";
    public const string PickByCityIndex = "ix_pool_numbers_pick_city";
    public const string PickAnyIndex = "ix_pool_numbers_pick_any";

    public void Configure(EntityTypeBuilder<PoolNumber> builder)
    {
        builder.ToTable(Table, t => t.HasCheckConstraint("ck_pool_numbers_active_pairs", "active_pairs >= 0"));
        builder.HasKey(n => new { n.PoolKey, n.SecretNo });
        builder.Property(n => n.PoolKey).HasMaxLength(64);
        builder.Property(n => n.SecretNo).HasMaxLength(20);
        builder.Property(n => n.City).HasMaxLength(32).IsRequired();
        builder.Property(n => n.State).HasConversion<string>().HasMaxLength(16).IsRequired();

        // Least loaded first, within a city or across the pool; locked, frozen and unhealthy numbers are not in the index.
        builder.HasIndex(n => new { n.PoolKey, n.City, n.ActivePairs, n.SecretNo }).HasDatabaseName(PickByCityIndex).HasFilter("state = 'Available'");
        builder.HasIndex(n => new { n.PoolKey, n.ActivePairs, n.SecretNo }).HasDatabaseName(PickAnyIndex).HasFilter("state = 'Available'");
    }
}

/// <summary>Invariant 1 in the database: one open binding per (X, party).</summary>
internal sealed class NumberReservationConfiguration : IEntityTypeConfiguration<NumberReservation>
{
    public const string Table = "number_reservations";
    public const string PartyOnXIndex = "ux_number_reservations_x_party";

    public void Configure(EntityTypeBuilder<NumberReservation> builder)
    {
        builder.ToTable(Table, t => t.HasCheckConstraint("ck_number_reservations_party_role", "party_role IN ('A', 'B')"));
        builder.HasKey(r => new { r.BindingId, r.PartyRole });
        builder.Property(r => r.PartyRole).HasColumnType("char(1)");
        builder.Property(r => r.PoolKey).HasMaxLength(64).IsRequired();
        builder.Property(r => r.SecretNo).HasMaxLength(20).IsRequired();
        builder.Property(r => r.PartyHash).IsRequired();
        // Unique on (X, party); party first, so the same index also finds a party's few reservations (the anti-join of
        // the selection reads them once instead of scanning the table).
        builder.HasIndex(r => new { r.PartyHash, r.SecretNo }).IsUnique().HasDatabaseName(PartyOnXIndex);
    }
}

/// <summary>Sticky selection: the X each party last got, per pool.</summary>
internal sealed class PartyLastNumberConfiguration : IEntityTypeConfiguration<PartyLastNumber>
{
    public const string Table = "party_last_numbers";

    public void Configure(EntityTypeBuilder<PartyLastNumber> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(p => new { p.PoolKey, p.PartyHash });
        builder.Property(p => p.PoolKey).HasMaxLength(64);
        builder.Property(p => p.SecretNo).HasMaxLength(20).IsRequired();
    }
}
