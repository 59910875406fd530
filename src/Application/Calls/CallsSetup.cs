using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Application.Calls;

public static class CallsSetup
{
    /// <summary>The call log's use cases and the Receipts options (validated at start).</summary>
    public static IServiceCollection AddCalls(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReceiptOptions>()
            .Bind(configuration.GetSection(ReceiptOptions.SectionName))
            .Validate(o => o.IsValid(), "Receipts: BatchSize 1..10000, RetentionBatchSize 1..100000, every time positive.")
            .ValidateOnStart();
        services.AddScoped<CallLogQueries>();
        return services;
    }
}
