using BindingService.Application.DeliveryOrders.AttachDeliveryTrackingNumber;
using BindingService.Application.DeliveryOrders.CancelDeliveryOrderProtection;
using BindingService.Application.DeliveryOrders.ChangeDeliveryCourier;
using BindingService.Application.DeliveryOrders.FindDeliveryByTrackingNumber;
using BindingService.Application.DeliveryOrders.GetDeliveryOrderProtection;
using BindingService.Application.DeliveryOrders.PickUpWaybills;
using BindingService.Application.DeliveryOrders.ProtectDeliveryOrder;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Application.DeliveryOrders;

public static class DeliveryOrdersRegistration
{
    /// <summary>The delivery-order use cases.</summary>
    public static IServiceCollection AddDeliveryOrders(this IServiceCollection services)
    {
        services.AddScoped<ProtectDeliveryOrderHandler>();
        services.AddScoped<GetDeliveryOrderProtectionHandler>();
        services.AddScoped<CancelDeliveryOrderProtectionHandler>();
        services.AddScoped<ChangeDeliveryCourierHandler>();
        services.AddScoped<AttachDeliveryTrackingNumberHandler>();
        services.AddScoped<FindDeliveryByTrackingNumberHandler>();
        services.AddScoped<QuotePickUpWaybillHandler>();
        services.AddScoped<CreatePickUpWaybillHandler>();
        services.AddScoped<CancelPickUpWaybillHandler>();
        services.AddScoped<GetPickUpWaybillHandler>();
        return services;
    }
}
