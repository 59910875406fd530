using BindingService.Application.Calls;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// One pushed receipt message, stored before the push is acknowledged (docs/receipts.md, 'The inbox'). The payload is
/// the message as received, encrypted (<see cref="ReceiptPayloadProtector"/>): receipts carry phone numbers in clear.
/// It is cleared once processed; the row stays for <see cref="ReceiptOptions.InboxRetention"/> so duplicates are known.
/// </summary>
public sealed class ReceiptInboxRow
{
    /// <summary>Arrival order.</summary>
    public long Id { get; init; }

    /// <summary>Type, call id and provider message id (or a hash of the message): a duplicate has the same key.</summary>
    public required string DedupeKey { get; init; }

    /// <summary>The provider's message type (SecretReport, …).</summary>
    public required string MessageType { get; init; }

    public string? CallId { get; init; }

    public ReceiptInboxStatus Status { get; set; }

    public byte[]? Payload { get; set; }

    /// <summary>Why a poison row could not be used (never the message itself).</summary>
    public string? Problem { get; set; }

    public DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset? ProcessedAt { get; set; }
}

public enum ReceiptInboxStatus
{
    Pending,
    Processed,

    /// <summary>Could not be read: kept (acknowledged to the provider) for a person to look at.</summary>
    Poison,
}

internal sealed class ReceiptInboxConfiguration : IEntityTypeConfiguration<ReceiptInboxRow>
{
    public const string Table = "receipt_inbox";

    public void Configure(EntityTypeBuilder<ReceiptInboxRow> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        builder.Property(r => r.DedupeKey).HasMaxLength(200).IsRequired();
        builder.HasIndex(r => r.DedupeKey).IsUnique().HasDatabaseName("ux_receipt_inbox_dedupe_key");
        builder.Property(r => r.MessageType).HasMaxLength(40).IsRequired();
        builder.Property(r => r.CallId).HasMaxLength(128);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(r => r.Problem).HasMaxLength(200);
        builder.HasIndex(r => r.Id).HasDatabaseName("ix_receipt_inbox_pending").HasFilter("status = 'Pending'");
        builder.HasIndex(r => r.ReceivedAt).HasDatabaseName("ix_receipt_inbox_received_at");
    }
}

internal sealed class CallRecordConfiguration : IEntityTypeConfiguration<CallRecord>
{
    public const string Table = "call_records";

    public void Configure(EntityTypeBuilder<CallRecord> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(c => c.CallId);
        builder.Property(c => c.CallId).HasMaxLength(128);
        builder.Property(c => c.PoolKey).HasMaxLength(64);
        builder.Property(c => c.SecretNo).HasMaxLength(20);
        builder.Property(c => c.SubsId).HasMaxLength(64);
        builder.Property(c => c.CallerId).HasMaxLength(64);
        builder.Property(c => c.BusinessLine).HasMaxLength(16);
        builder.Property(c => c.OrderId).HasMaxLength(64);
        builder.Property(c => c.Direction).HasMaxLength(16).IsRequired();
        builder.Property(c => c.CallerMasked).HasMaxLength(32);
        builder.Property(c => c.CalleeMasked).HasMaxLength(32);
        builder.Property(c => c.UnboundReason).HasMaxLength(16);
        builder.Property(c => c.Transcript).HasColumnType("jsonb");
        builder.Property(c => c.RecordingUrl).HasMaxLength(2048);
        builder.Ignore(c => c.Connected);
        builder.Ignore(c => c.DurationSeconds);
        builder.Ignore(c => c.NotConnectedReason);
        builder.Ignore(c => c.ReleaseDirectionName);

        // The call log's pages: per order, per binding, newest first; the retention job's scan by age.
        builder.HasIndex(c => new { c.CallerId, c.BusinessLine, c.OrderId, c.CallTime, c.CallId }).HasDatabaseName("ix_call_records_order");
        builder.HasIndex(c => new { c.BindingId, c.CallTime, c.CallId }).HasDatabaseName("ix_call_records_binding");
        builder.HasIndex(c => c.CreatedAt).HasDatabaseName("ix_call_records_created_at");
    }
}
