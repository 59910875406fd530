using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Application.DeliveryOrders;

public static class DeliveryOrdersRegistration
{
    /// <summary>The delivery-order use cases.</summary>
    public static IServiceCollection AddDeliveryOrders(this IServiceCollection services)
    {
        return services;
    }
}
