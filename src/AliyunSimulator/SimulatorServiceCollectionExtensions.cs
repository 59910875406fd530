using BindingService.AliyunSimulator.Actions;
using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Faults;
using BindingService.AliyunSimulator.Gateway;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator;

public static class SimulatorServiceCollectionExtensions
{
    /// <summary>
    /// The simulator's services: options from the <c>Simulator</c> section (defaults applied, validated at start),
    /// <see cref="TimeProvider.System"/> (replace it after this call to control the clock), the store, the gateway
    /// and one <see cref="IActionHandler"/> per implemented action.
    /// </summary>
    public static IServiceCollection AddAliyunSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>()
            .Bind(configuration.GetSection(SimulatorOptions.SectionName))
            .PostConfigure(SimulatorDefaults.Apply)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ChinaClock>();
        services.AddSingleton<SimulatorStore>();
        services.AddSingleton<NonceCache>();
        services.AddSingleton<PopGateway>();

        // One handler per action; the gateway routes Action=<handler.Action> to it.
        services.AddBindingActions();
        services.AddNumberActions();
        services.AddFaultInjection();

        // The call receipt push (docs/simulator.md, 'Receipts'); tests may replace the client's primary handler.
        services.AddHttpClient(Receipts.ReceiptPusher.HttpClientName);
        services.AddSingleton<Receipts.ReceiptPusher>();
        services.AddHostedService(sp => sp.GetRequiredService<Receipts.ReceiptPusher>());
        return services;
    }
}
