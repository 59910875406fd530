using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.Abstractions;

/// <summary>
/// Chooses the virtual number X of a new binding. In a pool in <em>provider</em> mode the provider chooses (by
/// ExpectCity) and this answers null; in <em>local</em> mode we choose from our own inventory and reserve X for the
/// binding's parties (docs/decisions/0003-local-number-selection.md; invariant 1 in docs/operations.md). A reservation is freed when the binding ends or fails.
/// </summary>
public interface INumberSelector
{
    /// <summary>
    /// X for <paramref name="binding"/> (still Pending, already saved), or null when the provider chooses; an
    /// Unavailable error naming the pool and city when no number can be had.
    /// </summary>
    Task<Result<string?>> ReserveAsync(Binding binding, CancellationToken cancellationToken);
}
