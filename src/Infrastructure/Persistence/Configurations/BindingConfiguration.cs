using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BindingService.Infrastructure.Persistence.Configurations;

internal sealed class BindingConfiguration(PhoneNumberProtector protector) : IEntityTypeConfiguration<Binding>
{
    public const string OpenOrderIndex = "ux_bindings_open_order";
    public const string OpenTrackingNumberIndex = "ux_bindings_open_tracking_number";
    public const string PartyAHash = "PartyAHash";
    public const string PartyBHash = "PartyBHash";
    public const string DriftCheckedAt = "DriftCheckedAt";

    private static readonly ValueComparer<PhoneNumber> PhoneComparer = new((a, b) => a == b, p => p.GetHashCode(), p => p);

    public void Configure(EntityTypeBuilder<Binding> builder)
    {
        builder.ToTable("bindings");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).HasConversion(id => id.Value, value => new BindingId(value)).ValueGeneratedNever();
        builder.Ignore(b => b.Order);
        builder.Ignore(b => b.DomainEvents);

        builder.Property(b => b.CallerId).HasMaxLength(OrderKey.MaxCallerIdLength).IsRequired();
        builder.Property(b => b.BusinessLine).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(b => b.OrderId).HasMaxLength(OrderKey.MaxOrderIdLength).IsRequired();
        builder.Property(b => b.Product).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(b => b.PoolKey).HasMaxLength(64).IsRequired();
        builder.Property(b => b.ExpectCity).HasMaxLength(32);
        builder.Property(b => b.SubsId).HasMaxLength(64);
        builder.Property(b => b.SecretNo).HasMaxLength(20);
        builder.Property(b => b.FailureReason).HasMaxLength(64);
        builder.Property(b => b.Version).IsConcurrencyToken();

        // Invariant 5: numbers are encrypted at rest and found by a keyed hash.
        builder.Property(b => b.PartyA).HasColumnName("party_a_cipher").IsRequired()
            .HasConversion(p => protector.Encrypt(p), b => protector.Decrypt(b), PhoneComparer);
        builder.Property(b => b.PartyB).HasColumnName("party_b_cipher")
            .HasConversion(p => protector.Encrypt(p!), b => protector.Decrypt(b), PhoneComparer!);
        builder.Property<byte[]?>(PartyAHash).HasColumnName("party_a_hash"); // NULL once erased (retention)
        builder.Property<byte[]?>(PartyBHash).HasColumnName("party_b_hash");
        builder.Property(b => b.Extension).HasMaxLength(8);
        builder.Property(b => b.CallRestriction).HasConversion<string>().HasMaxLength(24).IsRequired();
        builder.Property(b => b.TrackingNumber).HasMaxLength(64);
        // A tracking number leads to one open binding of a caller: two open deliveries can never share it (the lookup by
        // tracking number would otherwise hand a courier another customer's dial string).
        builder.HasIndex(b => new { b.CallerId, b.TrackingNumber })
            .HasDatabaseName(OpenTrackingNumberIndex)
            .IsUnique()
            .HasFilter("tracking_number IS NOT NULL AND status IN ('Pending', 'Active')");

        // Invariant 2: at most one open protection per (caller, business line, order).
        builder.HasIndex(b => new { b.CallerId, b.BusinessLine, b.OrderId })
            .HasDatabaseName(OpenOrderIndex)
            .IsUnique()
            .HasFilter("status IN ('Pending', 'Active')");
        builder.HasIndex(b => new { b.CallerId, b.BusinessLine, b.OrderId, b.CreatedAt }).HasDatabaseName("ix_bindings_order_created");
        builder.HasIndex(b => b.ExpiresAt).HasDatabaseName("ix_bindings_active_expiry").HasFilter("status = 'Active'");
        builder.HasIndex(b => b.CreatedAt).HasDatabaseName("ix_bindings_pending_created").HasFilter("status = 'Pending'");
        builder.HasIndex(b => new { b.SecretNo, b.SubsId }).HasDatabaseName("ix_bindings_secret_no_subs_id");
        // The drift check's bookkeeping (Jobs/Reconciliation/DriftCheck): when the provider's view was last compared.
        builder.Property<DateTimeOffset?>(DriftCheckedAt).HasColumnName("drift_checked_at");
        builder.HasIndex(DriftCheckedAt).HasDatabaseName("ix_bindings_active_drift_checked").HasFilter("status = 'Active'");
        builder.HasIndex(PartyAHash).HasDatabaseName("ix_bindings_party_a_hash");
        builder.HasIndex(PartyBHash).HasDatabaseName("ix_bindings_party_b_hash");
        NumberStorageColumns.Configure(builder);
    }
}
