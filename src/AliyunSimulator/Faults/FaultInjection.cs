using BindingService.AliyunSimulator.Configuration;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Faults;

/// <summary>Per-action throttling and fault injection (errors, latency, timeouts, dropped connections).</summary>
public static class FaultInjection
{
    /// <summary>
    /// The <see cref="FaultInjector"/> the Dyplsapi endpoint consults after the gateway, started from
    /// <c>Simulator:Throttling</c> and <c>Simulator:Faults</c>, whose values are validated at start.
    /// </summary>
    public static IServiceCollection AddFaultInjection(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<SimulatorOptions>, FaultOptionsValidator>();
        services.AddSingleton<FaultInjector>();
        return services;
    }
}
