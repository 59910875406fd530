using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BindingService.Infrastructure.Jobs.Reconciliation;

/// <summary>When a pool's X numbers were last walked for orphans, shared by every replica (table reconciler_pool_scans).</summary>
internal sealed class PoolScan
{
    public required string PoolKey { get; init; }

    public DateTimeOffset ScannedAt { get; set; }
}

internal sealed class PoolScanConfiguration : IEntityTypeConfiguration<PoolScan>
{
    public void Configure(EntityTypeBuilder<PoolScan> builder)
    {
        builder.ToTable("reconciler_pool_scans");
        builder.HasKey(s => s.PoolKey);
        builder.Property(s => s.PoolKey).HasMaxLength(64);
    }
}
