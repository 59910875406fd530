using BindingService.Application.Common;

namespace BindingService.Application.RideOrders;

internal static class RideOrderErrors
{
    public static readonly Error NotFound = Error.NotFound("order.not_found", "No protection exists for this ride order.");
}
