using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Bindings.Events;
using BindingService.Application.Calls;
using BindingService.Application.Common;
using BindingService.Application.DeliveryOrders;
using BindingService.Application.GenericBindings;
using BindingService.Application.RideOrders;
using BindingService.Domain.Bindings.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BindingService.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProtectionOptions>()
            .Bind(configuration.GetSection(ProtectionOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.PendingWaitTimeout > TimeSpan.Zero && o.CommitTimeout > TimeSpan.Zero, "Protection:PendingWaitTimeout and Protection:CommitTimeout must be positive.")
            .Validate(o => o.MinTtl > TimeSpan.FromMinutes(1) && o.MaxTtl > o.MinTtl && o.DefaultTtl >= o.MinTtl && o.DefaultTtl <= o.MaxTtl, "Protection TTLs must satisfy 1 min < MinTtl <= DefaultTtl <= MaxTtl.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<INumberSelector, ProviderChoosesNumbers>();
        services.AddScoped<BindingLifecycle>();
        services.AddScoped<IDomainEventHandler<BindingDomainEvent>, BindingEventsToOutbox>();
        services.AddRideOrders();
        services.AddDeliveryOrders();
        services.AddGenericBindings();
        services.AddCalls(configuration);
        return services;
    }
}
