namespace BindingService.AliyunSimulator.Faults;

/// <summary>Per-action throttling and fault injection (errors, latency, timeouts, dropped connections).</summary>
public static class FaultInjection
{
    public static IServiceCollection AddFaultInjection(this IServiceCollection services)
    {
        return services;
    }
}
