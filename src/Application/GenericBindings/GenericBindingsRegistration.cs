using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Application.GenericBindings;

public static class GenericBindingsRegistration
{
    /// <summary>The generic binding and G-group use cases.</summary>
    public static IServiceCollection AddGenericBindings(this IServiceCollection services)
    {
        return services;
    }
}
