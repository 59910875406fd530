using BindingService.Infrastructure.Jobs.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Infrastructure.Jobs.KeyRotation;

/// <summary>Registers the jobs that look after stored numbers: re-encryption to the active keys, and retention.</summary>
internal static class KeyJobsSetup
{
    public static IServiceCollection AddKeyJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReencryptionOptions>()
            .Bind(configuration.GetSection(ReencryptionOptions.SectionName))
            .Validate(o => o.IsValid(), "Jobs:Reencryption: BatchSize must be 1..10000 and Interval between 0 (exclusive) and 1 day.")
            .ValidateOnStart();
        services.AddSingleton<ReencryptionMetrics>();
        services.AddSingleton<ReencryptionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<ReencryptionJob>());

        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.SectionName))
            .Validate(o => o.IsValid(), "Jobs:Retention: NumberRetention and Interval (at most 1 day) must be positive, BatchSize 1..100000.")
            .ValidateOnStart();
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        return services;
    }
}
