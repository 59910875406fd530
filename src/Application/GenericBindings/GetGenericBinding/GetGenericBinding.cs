using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.GenericBindings.GetGenericBinding;

/// <summary>Read one of the caller's generic bindings by id, whatever its state (one past its expiry is ended first).</summary>
public sealed record GetGenericBinding(string CallerId, string BindingId);

public sealed class GetGenericBindingHandler(BindingLifecycle lifecycle, GenericBindingViews views)
{
    public async Task<Result<GenericBindingView>> HandleAsync(GetGenericBinding request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await views.ViewAsync(await lifecycle.ReadAsync(Target(request.CallerId, request.BindingId), cancellationToken), cancellationToken);
    }

    /// <summary>The caller's generic binding with this id; bindings of other callers and business lines are not found.</summary>
    internal static BindingTarget Target(string callerId, string bindingId) => BindingTarget.Id(callerId, BusinessLine.Generic, bindingId);
}
