using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Application.DeliveryOrders.PickUpWaybills;

/// <summary>Pre-query a pickup for a delivery order (CreatePickUpWaybillPreQuery): time slots, real-time availability, price.</summary>
public sealed record QuotePickUpWaybill(string CallerId, string OrderId, PickUpContactInput? Sender, PickUpContactInput? Consignee, string? Courier, long? WeightGrams);

public sealed class QuotePickUpWaybillHandler(BindingLifecycle lifecycle, IPickUpWaybills waybills)
{
    public async Task<Result<PickUpQuote>> HandleAsync(QuotePickUpWaybill request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var sender = PickUpWaybillValidation.Party(request.Sender, "sender", addressRequired: false, errors);
        var consignee = PickUpWaybillValidation.Party(request.Consignee, "consignee", addressRequired: false, errors);
        var courier = PickUpWaybillValidation.Courier(request.Courier, errors);
        PickUpWaybillValidation.Weight(request.WeightGrams, errors);
        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        return (await PickUpWaybillDeliveries.FindAsync(lifecycle, request.CallerId, request.OrderId, cancellationToken)).Error is { } error
            ? error
            : await waybills.QuoteAsync(new PickUpQuoteQuery(sender!, consignee!, courier, request.WeightGrams), cancellationToken);
    }
}
