namespace BindingService.Api.Endpoints;

/// <summary>Delivery: hide the customer's number behind X plus an extension printed on the waybill.</summary>
public static class DeliveryOrders
{
    public static IEndpointRouteBuilder MapDeliveryOrders(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
