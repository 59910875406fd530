using BindingService.Application.GenericBindings.ChangeGroupMembers;
using BindingService.Application.GenericBindings.CreateGenericBinding;
using BindingService.Application.GenericBindings.CreateGroup;
using BindingService.Application.GenericBindings.GetGenericBinding;
using BindingService.Application.GenericBindings.GetGroup;
using BindingService.Application.GenericBindings.ReleaseGenericBinding;
using BindingService.Application.GenericBindings.UpdateGenericBinding;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Application.GenericBindings;

public static class GenericBindingsRegistration
{
    /// <summary>The generic binding and G-group use cases.</summary>
    public static IServiceCollection AddGenericBindings(this IServiceCollection services)
    {
        services.AddScoped<GenericBindingViews>();
        services.AddScoped<CreateGenericBindingHandler>();
        services.AddScoped<GetGenericBindingHandler>();
        services.AddScoped<ReleaseGenericBindingHandler>();
        services.AddScoped<UpdateGenericBindingHandler>();
        services.AddScoped<CreateGroupHandler>();
        services.AddScoped<GetGroupHandler>();
        services.AddScoped<ChangeGroupMembersHandler>();
        return services;
    }
}
