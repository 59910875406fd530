using BindingService.Application.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Numbers;

public static class NumbersSetup
{
    /// <summary>
    /// Local number selection (docs/decisions/0003-local-number-selection.md): the options, the inventory and its sync job, and
    /// <see cref="LocalNumberSelector"/> in place of the default selector (it answers null for provider-mode pools).
    /// </summary>
    public static IServiceCollection AddLocalNumberSelection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NumberSelectionOptions>()
            .Bind(configuration.GetSection(NumberSelectionOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NumberSelectionOptions>, NumberSelectionOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<NumberMetrics>();
        services.AddScoped<NumberInventory>();
        services.Replace(ServiceDescriptor.Scoped<INumberSelector, LocalNumberSelector>());
        services.AddHostedService<NumberInventorySync>();
        return services;
    }
}
