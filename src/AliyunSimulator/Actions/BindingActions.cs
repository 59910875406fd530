using BindingService.AliyunSimulator.Actions.BindAxb;
using BindingService.AliyunSimulator.Actions.QuerySubscriptionDetail;
using BindingService.AliyunSimulator.Actions.UnbindSubscription;
using BindingService.AliyunSimulator.Actions.UpdateSubscription;

namespace BindingService.AliyunSimulator.Actions;

/// <summary>The binding, group and logistics actions (API-DIGEST §3.1–3.10, §3.24–3.28).</summary>
public static class BindingActions
{
    public static IServiceCollection AddBindingActions(this IServiceCollection services)
    {
        services.AddSingleton<IActionHandler, BindAxbHandler>();
        services.AddSingleton<IActionHandler, UpdateSubscriptionHandler>();
        services.AddSingleton<IActionHandler, UnbindSubscriptionHandler>();
        services.AddSingleton<IActionHandler, QuerySubscriptionDetailHandler>();
        return services;
    }
}
