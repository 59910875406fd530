using BindingService.Application.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Aliyun;

public static class AliyunServiceCollectionExtensions
{
    /// <summary>The name of the typed HttpClient (tests replace its primary handler through it).</summary>
    public const string HttpClientName = "Aliyun.Dyplsapi";

    /// <summary>
    /// Registers <see cref="IPrivacyNumberProvider"/> as the Aliyun Dyplsapi client: options from section "Aliyun"
    /// (validated on start), a typed HttpClient whose handlers are, outermost first, the resilience pipeline and
    /// the POP signing handler, plus telemetry and <see cref="TimeProvider.System"/> unless a clock is registered.
    /// </summary>
    public static IServiceCollection AddAliyunPrivacyNumberProvider(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<AliyunOptions>()
            .Bind(configuration.GetSection(AliyunOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AliyunOptions>, AliyunOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<AliyunTelemetry>();
        services.TryAddTransient<PopSigningHandler>();

        var client = services.AddHttpClient<IPrivacyNumberProvider, DyplsapiClient>(HttpClientName, (provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<AliyunOptions>>().Value;
            http.BaseAddress = options.Endpoint;
            http.DefaultRequestHeaders.Accept.ParseAdd("application/json");

            // A backstop only: the pipeline's total timeout ends a call first.
            http.Timeout = options.Resilience.TotalTimeout + TimeSpan.FromSeconds(5);
        });
        client.AddResilienceHandler(AliyunResilience.PipelineName, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<AliyunOptions>>().Value;
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AliyunResilience).FullName!);
            AliyunResilience.Configure(pipeline, options, logger);
        });

        // Added after the resilience handler, so it sits inside it: every attempt is signed anew.
        client.AddHttpMessageHandler<PopSigningHandler>();

        return services;
    }
}
