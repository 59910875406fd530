using System.Globalization;
using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Application.DeliveryOrders.PickUpWaybills;
using BindingService.Contracts;
using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Messaging;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BindingService.Infrastructure.Logistics;

/// <summary>Configuration section <c>PickUpWaybills</c>.</summary>
public sealed class PickUpWaybillOptions
{
    public const string SectionName = "PickUpWaybills";

    /// <summary>The order channel the provider files our pickups under (OrderChannels); no underscore (docs/provider-rules.md R-LOG-4).</summary>
    public string OrderChannels { get; set; } = "bindingservice";

    /// <summary>A waybill still pending after this (its booking request was lost with a crashed replica) is given up.</summary>
    public TimeSpan PendingTimeout { get; set; } = TimeSpan.FromMinutes(2);

    internal bool IsValid() => !string.IsNullOrWhiteSpace(OrderChannels) && !OrderChannels.Contains('_', StringComparison.Ordinal)
        && PendingTimeout > TimeSpan.Zero;
}

/// <summary>
/// <see cref="IPickUpWaybills"/> on the Dyplsapi client and <c>pickup_waybills</c> (docs/api.md, "Pickup waybills";
/// provider rules R-LOG-2 to R-LOG-4). A booking first claims the order's one open slot with a pending row (the partial
/// unique index lets one concurrent request win), then calls CreatePickUpWaybill — not repeatable, so it is sent once,
/// under a fresh OuterOrderCode, and finishes even when the caller goes away — and records the answer with its
/// <see cref="PickUpWaybillCreated"/> event in one transaction. A booking whose answer was lost is cancelled at the
/// provider (CancelPickUpWaybill is safe to repeat) and failed, so a retry books afresh. Nothing personal is logged.
/// </summary>
internal sealed partial class PickUpWaybillService(
    IDyplsapiClient client,
    BindingDbContext db,
    PhoneNumberProtector protector,
    OutboxSignal outboxSignal,
    IOptions<PickUpWaybillOptions> options,
    IOptions<AliyunOptions> aliyun,
    TimeProvider clock,
    ILogger<PickUpWaybillService> logger) : IPickUpWaybills
{
    /// <summary>CancelDesc of our cancellations ("cancelled by the platform").</summary>
    internal const string CancelDescription = "平台取消";

    /// <summary>The simulator's and, we read, the provider's code for an order that is already cancelled (R-LOG-3).</summary>
    internal const string AlreadyCancelledCode = "isv.ORDER_ALREADY_CANCELLED";

    private static readonly TimeSpan PendingPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PendingWait = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async Task<Result<PickUpQuote>> QuoteAsync(PickUpQuoteQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var answer = await client.CreatePickUpWaybillPreQueryAsync(
            new CreatePickUpWaybillPreQueryRequest
            {
                SenderInfo = new PickUpParty(query.Sender.Name, query.Sender.Mobile.Digits, AddressOf(query.Sender.Address)),
                ConsigneeInfo = new PickUpParty(query.Consignee.Name, query.Consignee.Mobile.Digits, AddressOf(query.Consignee.Address)),
                CpCode = query.CourierCode,
                PreWeight = query.WeightGrams,
                OrderChannels = options.Value.OrderChannels,
            },
            cancellationToken);
        if (answer.Error is { } error)
        {
            LogProviderFailed(logger, "CreatePickUpWaybillPreQuery", null, error.Kind, error.Code);
            return ProviderErrors.ToError(error, string.Empty, null);
        }

        if (answer.Value!.Data is not { Success: true } data)
        {
            LogRefused(logger, "CreatePickUpWaybillPreQuery", null, answer.Value.Data?.ErrorCode);
            return PickUpWaybillErrors.Refused;
        }

        var china = aliyun.Value.CreateChinaTime();
        var option = data.CpTimeSelectList?.FirstOrDefault();
        var days = (option?.AppointTimes ?? []).Where(d => d.Date is not null).Select(d => new PickUpDay(
                d.Date!,
                d.DateSelectable ?? false,
                (d.TimeList ?? []).Select(s => Slot(china, d.Date!, s)).OfType<PickUpSlot>().ToList()))
            .ToList();
        var realTime = option?.RealTime is { } r ? new PickUpRealTime(r.Name, r.Selectable ?? false, r.SelectDisableTip) : null;
        return new PickUpQuote(query.CourierCode, realTime, days, option?.PrePrice);
    }

    /// <inheritdoc />
    public async Task<Result<PickUpWaybillOutcome>> CreateAsync(PickUpDelivery delivery, PickUpBooking booking, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(booking);
        var claimed = await ClaimAsync(delivery, booking, cancellationToken);
        if (claimed.Error is { } refused)
        {
            return refused;
        }

        var claim = claimed.Value!;
        if (!claim.Created)
        {
            return claim;
        }

        // Sent: from here the booking and its record finish even when the caller goes away.
        var row = await db.Set<PickUpWaybillRow>().SingleAsync(w => w.Id == claim.Waybill.WaybillId, CancellationToken.None);
        var answer = await client.CreatePickUpWaybillAsync(
            new CreatePickUpWaybillRequest
            {
                OuterOrderCode = row.OuterOrderCode,
                OrderChannels = options.Value.OrderChannels,
                CpCode = booking.CourierCode,
                SendName = booking.Sender.Name,
                SendMobile = booking.Sender.Mobile.Digits,
                SendAddress = AddressOf(booking.Sender.Address)!,
                ConsigneeName = booking.Consignee.Name,
                ConsigneeMobile = booking.Consignee.Mobile.Digits,
                ConsigneeAddress = AddressOf(booking.Consignee.Address)!,
                Remark = booking.Remark,
                GoodsInfos = booking.GoodsName is null && booking.WeightGrams is null ? null : [new GoodsInfo(booking.GoodsName ?? "包裹", booking.WeightGrams, 1)],
                AppointGotStartTime = booking.AppointmentStart,
                AppointGotEndTime = booking.AppointmentEnd,
                BizType = booking.AppointmentStart is null ? PickUpBizTypes.RealTime : PickUpBizTypes.Appointment,
            },
            CancellationToken.None);

        if (answer.Error is { } error)
        {
            LogProviderFailed(logger, "CreatePickUpWaybill", row.Id, error.Kind, error.Code);
            if (error.OutcomeUnknown)
            {
                await CancelAtProviderQuietlyAsync(row);
            }

            await FailAsync(row, error.OutcomeUnknown ? "outcome_unknown" : error.Code);
            return ProviderErrors.ToError(error, string.Empty, null);
        }

        if (answer.Value!.Data is not { Success: true } data)
        {
            LogRefused(logger, "CreatePickUpWaybill", row.Id, answer.Value.Data?.ErrorCode);
            await FailAsync(row, "refused");
            return PickUpWaybillErrors.Refused;
        }

        var now = clock.GetUtcNow();
        row.Status = PickUpWaybillNames.Open;
        row.CourierCode = Truncate(data.CpCode, 16);
        row.MailNo = Truncate(data.MailNo, 64);
        row.PickUpCode = Truncate(data.GotCode, 16);
        row.UpdatedAt = now;
        var eventId = Guid.CreateVersion7(now);
        OutboxRows.Add(
            db,
            new PickUpWaybillCreated(
                eventId, row.Id, row.CallerId, row.OrderId, row.BindingId, row.CourierCode, row.MailNo, row.PickUpKind, row.AppointmentStart, row.AppointmentEnd,
                booking.Sender.Mobile.Masked, booking.Consignee.Mobile.Masked, now),
            eventId,
            row.Id,
            now);
        await db.SaveChangesAsync(CancellationToken.None);
        outboxSignal.Notify();
        LogBooked(logger, row.Id, row.OrderId, row.CourierCode, row.MailNo);
        return new PickUpWaybillOutcome(View(row), Created: true);
    }

    /// <inheritdoc />
    public async Task<Result<PickUpWaybillView>> CancelAsync(string callerId, string orderId, CancellationToken cancellationToken)
    {
        var row = await LatestRowAsync(callerId, orderId, tracking: true, cancellationToken);
        if (row is null)
        {
            return PickUpWaybillErrors.NotFound;
        }

        if (row.Status == PickUpWaybillNames.Pending)
        {
            return PickUpWaybillErrors.Pending;
        }

        if (row.Status != PickUpWaybillNames.Open)
        {
            return View(row); // cancelled or failed: nothing booked; a repeat answers the waybill as it is
        }

        var answer = await client.CancelPickUpWaybillAsync(
            new CancelPickUpWaybillRequest { OuterOrderCode = row.OuterOrderCode, CancelDesc = CancelDescription },
            cancellationToken);
        if (answer.Error is { } error)
        {
            LogProviderFailed(logger, "CancelPickUpWaybill", row.Id, error.Kind, error.Code);
            return ProviderErrors.ToError(error, string.Empty, null);
        }

        if (answer.Value!.Data is not ({ Success: true } or { ErrorCode: AlreadyCancelledCode }))
        {
            LogRefused(logger, "CancelPickUpWaybill", row.Id, answer.Value.Data?.ErrorCode);
            return PickUpWaybillErrors.NotCancellable;
        }

        // The provider cancelled it: record that (and its event) even when the caller has gone. A concurrent cancel
        // that recorded it first wins; this one answers the same.
        var now = clock.GetUtcNow();
        var changed = await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                foreach (var queued in db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).ToList())
                {
                    queued.State = EntityState.Detached; // a retried attempt writes its event afresh
                }

                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var rows = await db.Set<PickUpWaybillRow>()
                    .Where(w => w.Id == row.Id && w.Status == PickUpWaybillNames.Open)
                    .ExecuteUpdateAsync(u => u.SetProperty(w => w.Status, PickUpWaybillNames.Cancelled).SetProperty(w => w.CancelledAt, now).SetProperty(w => w.UpdatedAt, now), ct);
                if (rows == 1)
                {
                    var eventId = Guid.CreateVersion7(now);
                    OutboxRows.Add(db, new PickUpWaybillCancelled(eventId, row.Id, row.CallerId, row.OrderId, row.BindingId, row.CourierCode, row.MailNo, now), eventId, row.Id, now);
                    await db.SaveChangesAsync(ct);
                }

                await transaction.CommitAsync(ct);
                return rows;
            },
            CancellationToken.None);
        if (changed == 1)
        {
            outboxSignal.Notify();
            LogCancelled(logger, row.Id, row.OrderId);
        }

        await db.Entry(row).ReloadAsync(CancellationToken.None);
        return View(row);
    }

    /// <inheritdoc />
    public async Task<PickUpWaybillView?> LatestAsync(string callerId, string orderId, CancellationToken cancellationToken) =>
        await LatestRowAsync(callerId, orderId, tracking: false, cancellationToken) is { } row ? View(row) : null;

    /// <summary>
    /// Claims the order's open slot with a new pending row (Created true), or answers the open waybill (Created false).
    /// A pending one of another request is waited for; one pending longer than the timeout was lost with its replica and
    /// is given up (cancelled at the provider, failed) first.
    /// </summary>
    private async Task<Result<PickUpWaybillOutcome>> ClaimAsync(PickUpDelivery delivery, PickUpBooking booking, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + PendingWait;
        while (true)
        {
            var existing = await db.Set<PickUpWaybillRow>()
                .Where(w => w.CallerId == delivery.CallerId && w.OrderId == delivery.OrderId && (w.Status == PickUpWaybillNames.Pending || w.Status == PickUpWaybillNames.Open))
                .AsNoTracking()
                .FirstOrDefaultAsync(cancellationToken);
            if (existing is { Status: PickUpWaybillNames.Open })
            {
                return new PickUpWaybillOutcome(View(existing), Created: false);
            }

            if (existing is not null)
            {
                if (clock.GetUtcNow() - existing.CreatedAt > options.Value.PendingTimeout)
                {
                    var stale = await db.Set<PickUpWaybillRow>().SingleAsync(w => w.Id == existing.Id, cancellationToken);
                    await CancelAtProviderQuietlyAsync(stale);
                    await FailAsync(stale, "abandoned");
                    continue;
                }

                if (clock.GetUtcNow() >= deadline)
                {
                    return PickUpWaybillErrors.Pending;
                }

                await Task.Delay(PendingPoll, clock, cancellationToken);
                continue;
            }

            var now = clock.GetUtcNow();
            var id = Guid.CreateVersion7(now);
            var row = new PickUpWaybillRow
            {
                Id = id,
                CallerId = delivery.CallerId,
                OrderId = delivery.OrderId,
                BindingId = delivery.BindingId,
                Status = PickUpWaybillNames.Pending,
                OuterOrderCode = id.ToString("N"),
                PickUpKind = booking.AppointmentStart is null ? PickUpWaybillNames.RealTime : PickUpWaybillNames.Appointment,
                AppointmentStart = booking.AppointmentStart?.ToUniversalTime(),
                AppointmentEnd = booking.AppointmentEnd?.ToUniversalTime(),
                SenderNameMasked = booking.Sender.MaskedName,
                SenderPhoneCipher = protector.Encrypt(booking.Sender.Mobile),
                ConsigneeNameMasked = booking.Consignee.MaskedName,
                ConsigneePhoneCipher = protector.Encrypt(booking.Consignee.Mobile),
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Set<PickUpWaybillRow>().Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new PickUpWaybillOutcome(View(row), Created: true);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: PickUpWaybillConfiguration.OpenIndex })
            {
                db.Entry(row).State = EntityState.Detached; // a concurrent request claimed it: wait for that one
            }
        }
    }

    private async Task FailAsync(PickUpWaybillRow row, string reason)
    {
        row.Status = PickUpWaybillNames.Failed;
        row.FailureReason = Truncate(reason, 64);
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Makes sure a booking of unknown outcome does not stand at the provider (an unknown order is fine).</summary>
    private async Task CancelAtProviderQuietlyAsync(PickUpWaybillRow row)
    {
        var answer = await client.CancelPickUpWaybillAsync(
            new CancelPickUpWaybillRequest { OuterOrderCode = row.OuterOrderCode, CancelDesc = CancelDescription },
            CancellationToken.None);
        if (answer.Error is { } error)
        {
            LogCompensationFailed(logger, row.Id, error.Kind, error.Code);
        }
    }

    private Task<PickUpWaybillRow?> LatestRowAsync(string callerId, string orderId, bool tracking, CancellationToken cancellationToken)
    {
        var query = db.Set<PickUpWaybillRow>().Where(w => w.CallerId == callerId && w.OrderId == orderId);
        return (tracking ? query : query.AsNoTracking())
            .OrderByDescending(w => w.Status == PickUpWaybillNames.Open || w.Status == PickUpWaybillNames.Pending)
            .ThenByDescending(w => w.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private PickUpWaybillView View(PickUpWaybillRow row) => new(
        row.Id,
        row.OrderId,
        row.BindingId,
        row.Status,
        row.CourierCode,
        row.MailNo,
        row.PickUpCode,
        row.PickUpKind,
        row.AppointmentStart,
        row.AppointmentEnd,
        row.SenderNameMasked,
        protector.Decrypt(row.SenderPhoneCipher).Masked,
        row.ConsigneeNameMasked,
        protector.Decrypt(row.ConsigneePhoneCipher).Masked,
        row.CreatedAt,
        row.CancelledAt);

    private static WaybillAddress? AddressOf(PickUpAddress? address) =>
        address is null ? null : new WaybillAddress(address.Province, address.City, address.Area, address.Detail);

    /// <summary>A pre-query slot as full times: the day plus the slot's time of day, China time (T79).</summary>
    private static PickUpSlot? Slot(ChinaTime china, string date, AppointTimeSlotDto slot) =>
        china.TryParse($"{date} {slot.StartTime}", out var start) && china.TryParse($"{date} {slot.EndTime}", out var end)
            ? new PickUpSlot(start.ToOffset(china.UtcOffset), end.ToOffset(china.UtcOffset), slot.Selectable ?? false)
            : null;

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "Pickup waybill {WaybillId} booked for delivery order {OrderId}: courier {CourierCode}, mail number {MailNo}")]
    private static partial void LogBooked(ILogger logger, Guid waybillId, string orderId, string? courierCode, string? mailNo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pickup waybill {WaybillId} of delivery order {OrderId} cancelled")]
    private static partial void LogCancelled(ILogger logger, Guid waybillId, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Action} for pickup waybill {WaybillId} failed: {ErrorKind} ({ProviderCode})")]
    private static partial void LogProviderFailed(ILogger logger, string action, Guid? waybillId, ProviderErrorKind errorKind, string providerCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Action} for pickup waybill {WaybillId} refused by the provider: {ProviderCode}")]
    private static partial void LogRefused(ILogger logger, string action, Guid? waybillId, string? providerCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pickup waybill {WaybillId}: its booking's outcome is unknown and cancelling it at the provider failed ({ErrorKind}, {ProviderCode}); check the provider for OuterOrderCode = the id without dashes")]
    private static partial void LogCompensationFailed(ILogger logger, Guid waybillId, ProviderErrorKind errorKind, string providerCode);
}
