using BindingService.AliyunSimulator.Actions.AddAxnTrackNo;
using BindingService.AliyunSimulator.Actions.BindAxb;
using BindingService.AliyunSimulator.Actions.BindAxg;
using BindingService.AliyunSimulator.Actions.BindAxn;
using BindingService.AliyunSimulator.Actions.BindAxnExtension;
using BindingService.AliyunSimulator.Actions.CancelPickUpWaybill;
using BindingService.AliyunSimulator.Actions.CreateAxgGroup;
using BindingService.AliyunSimulator.Actions.CreatePickUpWaybill;
using BindingService.AliyunSimulator.Actions.CreatePickUpWaybillPreQuery;
using BindingService.AliyunSimulator.Actions.OperateAxgGroup;
using BindingService.AliyunSimulator.Actions.QueryPhoneNoAByTrackNo;
using BindingService.AliyunSimulator.Actions.QuerySubscriptionDetail;
using BindingService.AliyunSimulator.Actions.QuerySubsId;
using BindingService.AliyunSimulator.Actions.UnbindSubscription;
using BindingService.AliyunSimulator.Actions.UpdateSubscription;

namespace BindingService.AliyunSimulator.Actions;

/// <summary>The binding, group and logistics actions (docs/provider-rules.md, 'Actions').</summary>
public static class BindingActions
{
    public static IServiceCollection AddBindingActions(this IServiceCollection services)
    {
        services.AddSingleton<IActionHandler, BindAxbHandler>();
        services.AddSingleton<IActionHandler, BindAxnHandler>();
        services.AddSingleton<IActionHandler, BindAxnExtensionHandler>();
        services.AddSingleton<IActionHandler, BindAxgHandler>();
        services.AddSingleton<IActionHandler, CreateAxgGroupHandler>();
        services.AddSingleton<IActionHandler, OperateAxgGroupHandler>();
        services.AddSingleton<IActionHandler, UpdateSubscriptionHandler>();
        services.AddSingleton<IActionHandler, UnbindSubscriptionHandler>();
        services.AddSingleton<IActionHandler, QuerySubscriptionDetailHandler>();
        services.AddSingleton<IActionHandler, QuerySubsIdHandler>();
        services.AddSingleton<IActionHandler, QueryPhoneNoAByTrackNoHandler>();
        services.AddSingleton<IActionHandler, AddAxnTrackNoHandler>();
        services.AddSingleton<IActionHandler, CreatePickUpWaybillHandler>();
        services.AddSingleton<IActionHandler, CancelPickUpWaybillHandler>();
        services.AddSingleton<IActionHandler, CreatePickUpWaybillPreQueryHandler>();
        return services;
    }
}
