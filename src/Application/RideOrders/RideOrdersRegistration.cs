using BindingService.Application.RideOrders.ChangeRideExpiry;
using BindingService.Application.RideOrders.CompleteRide;
using BindingService.Application.RideOrders.GetRideOrderProtection;
using BindingService.Application.RideOrders.ProtectRideOrder;
using BindingService.Application.RideOrders.ReassignRideDriver;
using BindingService.Application.RideOrders.ReleaseRideOrderProtection;
using BindingService.Application.RideOrders.SetRideCallRestriction;
using BindingService.Application.RideOrders.SetRideRecording;
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
        services.AddScoped<ReassignRideDriverHandler>();
        services.AddScoped<ChangeRideExpiryHandler>();
        services.AddScoped<SetRideRecordingHandler>();
        services.AddScoped<SetRideCallRestrictionHandler>();
        services.AddScoped<CompleteRideHandler>();
        return services;
    }
}
