using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.GenericBindings.GetGenericBinding;

/// <summary>Read one of the caller's generic bindings by id, whatever its state.</summary>
public sealed record GetGenericBinding(string CallerId, string BindingId);

public sealed class GetGenericBindingHandler(IBindingRepository bindings, GenericBindingViews views)
{
    public async Task<Result<GenericBindingView>> HandleAsync(GetGenericBinding request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var binding = await FindAsync(bindings, request.CallerId, request.BindingId, cancellationToken);
        return binding is null ? GenericBindingErrors.NotFound : await views.ViewAsync(binding, cancellationToken);
    }

    /// <summary>The caller's generic binding with this id; bindings of other callers and business lines are not found.</summary>
    internal static async Task<Binding?> FindAsync(IBindingRepository bindings, string callerId, string bindingId, CancellationToken cancellationToken)
    {
        if (!BindingId.TryParse(bindingId, out var id))
        {
            return null;
        }

        var binding = await bindings.FindByIdAsync(id, cancellationToken);
        return binding is { BusinessLine: BusinessLine.Generic } && binding.CallerId == callerId ? binding : null;
    }
}
