using BindingService.Application.DeliveryOrders.PickUpWaybills;
using BindingService.Domain.Bindings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BindingService.Infrastructure.Logistics;

/// <summary>
/// One row of <c>pickup_waybills</c>: a pickup booked (or being booked) for a delivery order. The two phone numbers are
/// encrypted (<see cref="Security.PhoneNumberProtector"/>); names are kept masked only and addresses not at all. A
/// partial unique index keeps at most one pending or open waybill per caller and order.
/// </summary>
public sealed class PickUpWaybillRow
{
    public Guid Id { get; set; }

    public string CallerId { get; set; } = string.Empty;

    public string OrderId { get; set; } = string.Empty;

    public Guid BindingId { get; set; }

    /// <summary><see cref="PickUpWaybillNames"/>: pending, open, cancelled, failed.</summary>
    public string Status { get; set; } = PickUpWaybillNames.Pending;

    /// <summary>Our order code at the provider (the id without dashes).</summary>
    public string OuterOrderCode { get; set; } = string.Empty;

    public string? CourierCode { get; set; }

    public string? MailNo { get; set; }

    public string? PickUpCode { get; set; }

    /// <summary>realTime or appointment.</summary>
    public string PickUpKind { get; set; } = PickUpWaybillNames.RealTime;

    public DateTimeOffset? AppointmentStart { get; set; }

    public DateTimeOffset? AppointmentEnd { get; set; }

    public string SenderNameMasked { get; set; } = string.Empty;

    public byte[] SenderPhoneCipher { get; set; } = [];

    public string ConsigneeNameMasked { get; set; } = string.Empty;

    public byte[] ConsigneePhoneCipher { get; set; } = [];

    /// <summary>Why a waybill failed: refused, outcome_unknown, abandoned, or our error code.</summary>
    public string? FailureReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }
}

internal sealed class PickUpWaybillConfiguration : IEntityTypeConfiguration<PickUpWaybillRow>
{
    public const string OpenIndex = "ux_pickup_waybills_open";

    public void Configure(EntityTypeBuilder<PickUpWaybillRow> builder)
    {
        builder.ToTable("pickup_waybills");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.CallerId).HasMaxLength(128).IsRequired();
        builder.Property(w => w.OrderId).HasMaxLength(OrderKey.MaxOrderIdLength).IsRequired();
        builder.Property(w => w.Status).HasMaxLength(16).IsRequired();
        builder.Property(w => w.OuterOrderCode).HasMaxLength(64).IsRequired();
        builder.Property(w => w.CourierCode).HasMaxLength(16);
        builder.Property(w => w.MailNo).HasMaxLength(64);
        builder.Property(w => w.PickUpCode).HasMaxLength(16);
        builder.Property(w => w.PickUpKind).HasMaxLength(16).IsRequired();
        builder.Property(w => w.SenderNameMasked).HasMaxLength(64).IsRequired();
        builder.Property(w => w.ConsigneeNameMasked).HasMaxLength(64).IsRequired();
        builder.Property(w => w.FailureReason).HasMaxLength(64);
        builder.HasIndex(w => new { w.CallerId, w.OrderId }).IsUnique().HasFilter("status IN ('pending', 'open')").HasDatabaseName(OpenIndex);
        builder.HasIndex(w => new { w.CallerId, w.OrderId, w.CreatedAt }).HasDatabaseName("ix_pickup_waybills_order");
    }
}
