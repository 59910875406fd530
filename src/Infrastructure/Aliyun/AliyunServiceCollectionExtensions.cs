using BindingService.Application.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Aliyun;

public static class AliyunServiceCollectionExtensions
{
    /// <summary>The name of the Dyplsapi typed HttpClient (tests replace its primary handler through it).</summary>
    public const string HttpClientName = "Aliyun.Dyplsapi";

    /// <summary>The name of the Dytnsapi typed HttpClient.</summary>
    public const string DytnsapiHttpClientName = "Aliyun.Dytnsapi";

    /// <summary>
    /// Registers the Aliyun clients: <see cref="IDyplsapiClient"/> and <see cref="IDytnsapiClient"/> (typed
    /// HttpClients whose handlers are, outermost first, the product's resilience pipeline and the POP signing
    /// handler), and <see cref="IPrivacyNumberProvider"/> on top of <see cref="IDyplsapiClient"/>. Options come from
    /// section "Aliyun" (validated on start); also the per-action rate limiters, telemetry and
    /// <see cref="TimeProvider.System"/> unless a clock is registered.
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
        services.TryAddSingleton<AliyunRateLimiters>();
        services.TryAddTransient<PopSigningHandler>();

        AddProductClient<IDyplsapiClient, DyplsapiClient>(services, AliyunProduct.Dyplsapi, HttpClientName, o => o.Endpoint);
        AddProductClient<IDytnsapiClient, DytnsapiClient>(services, AliyunProduct.Dytnsapi, DytnsapiHttpClientName, o => o.Dytnsapi.Endpoint);

        services.TryAddTransient<IPrivacyNumberProvider, AliyunPrivacyNumberProvider>();
        return services;
    }

    private static void AddProductClient<TClient, TImplementation>(
        IServiceCollection services, AliyunProduct product, string name, Func<AliyunOptions, Uri> endpoint)
        where TClient : class
        where TImplementation : class, TClient
    {
        var client = services.AddHttpClient<TClient, TImplementation>(name, (provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<AliyunOptions>>().Value;
            http.BaseAddress = endpoint(options);
            http.DefaultRequestHeaders.Accept.ParseAdd("application/json");

            // A backstop only: the pipeline's total timeout ends a call first.
            http.Timeout = options.Resilience.TotalTimeout + TimeSpan.FromSeconds(5);
        });

        // Without the factory's request logging: its handlers opened a log scope and timed every call only to write lines
        // at Information that appsettings.json filters out ("System.Net.Http.HttpClient": Warning). The calls are
        // logged by PopRpcCaller (Debug) and AliyunResilience (a warning per retried or failed attempt), and traced.
        client.RemoveAllLoggers();
        client.AddResilienceHandler(AliyunResilience.PipelineName(product), (pipeline, context) =>
        {
            var provider = context.ServiceProvider;
            AliyunResilience.Configure(
                pipeline,
                product,
                provider.GetRequiredService<IOptions<AliyunOptions>>().Value,
                provider.GetRequiredService<AliyunRateLimiters>(),
                provider.GetRequiredService<AliyunTelemetry>(),
                provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AliyunResilience).FullName!));
        });

        // Added after the resilience handler, so it sits inside it: every attempt is signed anew.
        client.AddHttpMessageHandler<PopSigningHandler>();
    }
}
