using BindingService.Infrastructure.Aliyun;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BindingService.Contract.Tests.Support;

/// <summary>
/// Our Aliyun clients exactly as the service registers them (signing, resilience pipeline, parsing), pointed at a
/// simulator: Dyplsapi and Dytnsapi both at its root, as the default local run does.
/// </summary>
public sealed class ProviderClient : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private ProviderClient(ServiceProvider services) => this.services = services;

    public IDyplsapiClient Dyplsapi => services.GetRequiredService<IDyplsapiClient>();

    public IDytnsapiClient Dytnsapi => services.GetRequiredService<IDytnsapiClient>();

    public IServiceProvider Services => services;

    /// <param name="configure">Changes to the <c>Aliyun</c> settings (keys as in configuration, e.g. <c>Aliyun:Resilience:MaxRetryAttempts</c>).</param>
    public static ProviderClient For(SimulatorProcess simulator, Action<Dictionary<string, string?>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var settings = new Dictionary<string, string?>
        {
            ["Aliyun:Endpoint"] = simulator.BaseAddress.ToString(),
            ["Aliyun:AccessKeyId"] = SimulatorProcess.AccessKeyId,
            ["Aliyun:AccessKeySecret"] = SimulatorProcess.AccessKeySecret,
            ["Aliyun:PoolKey"] = SimulatorProcess.AxbPool,
            ["Aliyun:Dytnsapi:Endpoint"] = simulator.BaseAddress.ToString(),
        };
        configure?.Invoke(settings);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddAliyunPrivacyNumberProvider(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return new ProviderClient(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
