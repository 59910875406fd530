using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BindingService.Infrastructure.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Sequence).UseIdentityAlwaysColumn();
        builder.HasAlternateKey(m => m.Sequence);
        builder.Property(m => m.MessageType).HasMaxLength(64).IsRequired();
        builder.Property(m => m.Payload).HasColumnType("jsonb").IsRequired();
        builder.Property(m => m.LastError).HasMaxLength(256);

        // The W3C trace context the row was written in (issue 17); nullable: older rows have none.
        builder.Property(m => m.TraceParent).HasMaxLength(Messaging.OutboxTracing.TraceParentLength);
        builder.Property(m => m.TraceState).HasMaxLength(Messaging.OutboxTracing.MaxTraceStateLength);
        builder.HasIndex(m => m.Sequence).HasDatabaseName("ix_outbox_unsent").HasFilter("sent_at IS NULL");
        builder.HasIndex(m => m.AggregateId).HasDatabaseName("ix_outbox_aggregate");

        // Outbox ordering and pruning (OutboxDispatcher.ClaimSql, OutboxPruner.PruneSql): the "earlier unsent row of
        // the same binding?" probe, and the scan for sent rows past the retention.
        builder.HasIndex(m => new { m.AggregateId, m.Sequence }).HasDatabaseName("ix_outbox_unsent_aggregate").HasFilter("sent_at IS NULL");
        builder.HasIndex(m => m.SentAt).HasDatabaseName("ix_outbox_sent").HasFilter("sent_at IS NOT NULL");
    }
}
