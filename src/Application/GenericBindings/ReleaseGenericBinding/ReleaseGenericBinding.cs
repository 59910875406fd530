using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Application.GenericBindings.GetGenericBinding;

namespace BindingService.Application.GenericBindings.ReleaseGenericBinding;

/// <summary>End a generic binding now: unbind at the provider, then mark it Released (BindingReleased). Idempotent.</summary>
public sealed record ReleaseGenericBinding(string CallerId, string BindingId);

public sealed class ReleaseGenericBindingHandler(BindingLifecycle lifecycle, GenericBindingViews views)
{
    public async Task<Result<GenericBindingView>> HandleAsync(ReleaseGenericBinding request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var released = await lifecycle.ReleaseAsync(GetGenericBindingHandler.Target(request.CallerId, request.BindingId), cancellationToken);
        return await views.ViewAsync(released, cancellationToken);
    }
}
