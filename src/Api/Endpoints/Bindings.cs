namespace BindingService.Api.Endpoints;

/// <summary>Generic bindings (AXB, AXN, AXN extension, AXG) for other business lines, and G groups.</summary>
public static class Bindings
{
    public static IEndpointRouteBuilder MapBindings(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
