using BindingService.Application.DeliveryOrders.PickUpWaybills;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Infrastructure.Logistics;

public static class LogisticsSetup
{
    /// <summary>Pickup waybills for delivery orders (docs/api.md, "Pickup waybills").</summary>
    public static IServiceCollection AddPickUpWaybills(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PickUpWaybillOptions>()
            .Bind(configuration.GetSection(PickUpWaybillOptions.SectionName))
            .Validate(o => o.IsValid(), "PickUpWaybills: OrderChannels must be set and hold no underscore; PendingTimeout must be positive.")
            .ValidateOnStart();
        services.AddScoped<IPickUpWaybills, PickUpWaybillService>();
        return services;
    }
}
