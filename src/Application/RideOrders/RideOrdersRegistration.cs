using BindingService.Application.RideOrders.GetRideOrderProtection;
using BindingService.Application.RideOrders.ProtectRideOrder;
using BindingService.Application.RideOrders.ReleaseRideOrderProtection;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Application.RideOrders;

public static class RideOrdersRegistration
{
    /// <summary>The ride-order use cases.</summary>
    public static IServiceCollection AddRideOrders(this IServiceCollection services)
    {
        services.AddScoped<ProtectRideOrderHandler>();
        services.AddScoped<GetRideOrderProtectionHandler>();
        services.AddScoped<ReleaseRideOrderProtectionHandler>();
        return services;
    }
}
