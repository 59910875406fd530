using BindingService.Application.Operators;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Infrastructure.Operators;

public static class OperatorsSetup
{
    /// <summary>Operators' number administration, its audit, and the pool utilisation instruments (docs/operations.md, "Metrics and dashboards").</summary>
    public static IServiceCollection AddOperators(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PoolCapacityOptions>()
            .Bind(configuration.GetSection(PoolCapacityOptions.SectionName))
            .Validate(o => o.IsValid(), "Operators:Capacity: LowFreePairs must be 0 or more and CheckInterval between 1 second and 1 hour.")
            .ValidateOnStart();
        services.AddScoped<OperatorAuditLog>();
        services.AddScoped<IOperatorAuditLog>(sp => sp.GetRequiredService<OperatorAuditLog>());
        services.AddScoped<INumberAdministration, NumberAdministration>();
        services.AddScoped<IBlacklists, Blacklists>();
        services.AddOptions<NumberEncryptionOptions>().Bind(configuration.GetSection(NumberEncryptionOptions.SectionName));
        services.AddScoped<INumberEncryption, NumberEncryption>();
        services.AddSingleton<PoolUtilisationMetrics>();
        services.AddSingleton<PoolCapacityCheck>();
        services.AddHostedService<PoolCapacityWatch>();
        return services;
    }
}
