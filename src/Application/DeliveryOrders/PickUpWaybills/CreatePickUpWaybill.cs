using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.DeliveryOrders.PickUpWaybills;

/// <summary>
/// Book a courier pickup for a delivery order (CreatePickUpWaybill). The delivery's protection must be active. A delivery
/// has at most one open waybill: asking again while one is open answers that one.
/// </summary>
public sealed record CreatePickUpWaybill(
    string CallerId,
    string OrderId,
    PickUpContactInput? Sender,
    PickUpContactInput? Consignee,
    string? Courier,
    DateTimeOffset? AppointmentStart,
    DateTimeOffset? AppointmentEnd,
    string? GoodsName,
    long? WeightGrams,
    string? Remark);

public sealed class CreatePickUpWaybillHandler(BindingLifecycle lifecycle, IPickUpWaybills waybills)
{
    public async Task<Result<PickUpWaybillOutcome>> HandleAsync(CreatePickUpWaybill request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var sender = PickUpWaybillValidation.Party(request.Sender, "sender", addressRequired: true, errors);
        var consignee = PickUpWaybillValidation.Party(request.Consignee, "consignee", addressRequired: true, errors);
        var courier = PickUpWaybillValidation.Courier(request.Courier, errors);
        PickUpWaybillValidation.Weight(request.WeightGrams, errors);
        PickUpWaybillValidation.Appointment(request.AppointmentStart, request.AppointmentEnd, errors);
        PickUpWaybillValidation.Text(request.GoodsName, "goodsName", PickUpWaybillValidation.MaxGoodsName, errors);
        PickUpWaybillValidation.Text(request.Remark, "remark", PickUpWaybillValidation.MaxRemark, errors);
        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        var read = await PickUpWaybillDeliveries.FindAsync(lifecycle, request.CallerId, request.OrderId, cancellationToken);
        if (read.Error is { } error)
        {
            return error;
        }

        var binding = read.Value!;
        if (binding.Status != BindingStatus.Active)
        {
            // An open waybill of an ended delivery is still answered (a repeat after the protection ended).
            return await waybills.LatestAsync(request.CallerId, request.OrderId, cancellationToken) is { Status: PickUpWaybillNames.Open } open
                ? new PickUpWaybillOutcome(open, Created: false)
                : BindingErrors.ProtectionEnded(binding.Status);
        }

        var booking = new PickUpBooking(sender!, consignee!, courier, request.AppointmentStart, request.AppointmentEnd, request.GoodsName, request.WeightGrams, request.Remark);
        return await waybills.CreateAsync(new PickUpDelivery(request.CallerId, request.OrderId, binding.Id.Value), booking, cancellationToken);
    }
}
