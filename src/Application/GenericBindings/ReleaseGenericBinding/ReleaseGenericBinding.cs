using BindingService.Application.Abstractions;
using BindingService.Application.Bindings.ReleaseBinding;
using BindingService.Application.Common;
using BindingService.Application.GenericBindings.GetGenericBinding;
using BindingService.Domain.Bindings;

namespace BindingService.Application.GenericBindings.ReleaseGenericBinding;

/// <summary>End a generic binding now: unbind at the provider, then mark it Released (BindingReleased). Idempotent.</summary>
public sealed record ReleaseGenericBinding(string CallerId, string BindingId);

public sealed class ReleaseGenericBindingHandler(IBindingRepository bindings, BindingReleaser releaser, GenericBindingViews views)
{
    public async Task<Result<GenericBindingView>> HandleAsync(ReleaseGenericBinding request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var released = await releaser.ReleaseAsync(
            ct => GetGenericBindingHandler.FindAsync(bindings, request.CallerId, request.BindingId, ct),
            cancellationToken);
        if (released.Error is { } error)
        {
            return error;
        }

        return released.Value is { } binding ? await views.ViewAsync(binding, cancellationToken) : GenericBindingErrors.NotFound;
    }
}
