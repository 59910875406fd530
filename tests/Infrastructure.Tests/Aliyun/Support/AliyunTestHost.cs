using BindingService.Application.Abstractions;
using BindingService.Infrastructure.Aliyun;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BindingService.Infrastructure.Tests.Aliyun.Support;

/// <summary>
/// The real registration (<see cref="AliyunServiceCollectionExtensions.AddAliyunPrivacyNumberProvider"/>) with
/// only the primary handlers (of both products) replaced by one <see cref="StubHandler"/>: the resilience pipelines, the signing
/// handler and the response parsing all run for real.
/// </summary>
internal sealed class AliyunTestHost : IDisposable
{
    public const string AccessKeyId = "test-key-id";
    public const string AccessKeySecret = "test-key-secret";
    public const string DefaultPoolKey = "FC-DEFAULT";
    public static readonly Uri Endpoint = new("https://dyplsapi.test/");
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 1, 2, 3, TimeSpan.Zero);

    private AliyunTestHost(Action<Dictionary<string, string?>>? configure)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Aliyun:Endpoint"] = Endpoint.ToString(),
            ["Aliyun:AccessKeyId"] = AccessKeyId,
            ["Aliyun:AccessKeySecret"] = AccessKeySecret,
            ["Aliyun:PoolKey"] = DefaultPoolKey,
            ["Aliyun:Resilience:RetryBaseDelay"] = "00:00:00.001",
            ["Aliyun:Resilience:RetryMaxDelay"] = "00:00:00.005",
        };
        configure?.Invoke(settings);

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddAliyunPrivacyNumberProvider(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddHttpClient(AliyunServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Stub);
        services.AddHttpClient(AliyunServiceCollectionExtensions.DytnsapiHttpClientName).ConfigurePrimaryHttpMessageHandler(() => Stub);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public StubHandler Stub { get; } = new();

    public FakeTimeProvider Clock { get; } = new(Start);

    public RecordingLoggerProvider Logs { get; } = new();

    public ServiceProvider Services { get; }

    public IPrivacyNumberProvider Provider => Services.GetRequiredService<IPrivacyNumberProvider>();

    public IDyplsapiClient Dyplsapi => Services.GetRequiredService<IDyplsapiClient>();

    public IDytnsapiClient Dytnsapi => Services.GetRequiredService<IDytnsapiClient>();

    public static AliyunTestHost Create(Action<Dictionary<string, string?>>? configure = null) => new(configure);

    /// <summary>No retries: one call, one exchange.</summary>
    public static AliyunTestHost WithoutRetries() => new(s => s["Aliyun:Resilience:MaxRetryAttempts"] = "0");

    public void Dispose() => Services.Dispose();
}
