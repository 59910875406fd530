using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.Bindings;

/// <summary>
/// Which binding a use case acts on: an order's (the open one, else the latest) or one by id (the caller's own, of one
/// business line). Also says how "not found" and "ended" are answered for it.
/// </summary>
public abstract record BindingTarget
{
    /// <summary>The binding as it is now, or null.</summary>
    internal abstract Task<Binding?> FindAsync(IBindingRepository bindings, CancellationToken cancellationToken);

    internal abstract Error NotFound { get; }

    internal abstract Error Ended(BindingStatus status);

    public static BindingTarget Order(OrderKey order) => new OfOrder(order);

    /// <summary>
    /// The binding with this id when it belongs to <paramref name="callerId"/> and <paramref name="line"/>; any other
    /// binding, and an id that does not parse, is not found (no existence leak across callers).
    /// </summary>
    public static BindingTarget Id(string callerId, BusinessLine line, string id) => new OfId(callerId, line, id);

    private sealed record OfOrder(OrderKey Key) : BindingTarget
    {
        internal override Error NotFound => BindingErrors.OrderNotFound;

        internal override async Task<Binding?> FindAsync(IBindingRepository bindings, CancellationToken cancellationToken) =>
            await bindings.FindCurrentByOrderAsync(Key, cancellationToken);

        internal override Error Ended(BindingStatus status) => BindingErrors.ProtectionEnded(status);
    }

    private sealed record OfId(string CallerId, BusinessLine Line, string Value) : BindingTarget
    {
        internal override Error NotFound => BindingErrors.BindingNotFound;

        internal override async Task<Binding?> FindAsync(IBindingRepository bindings, CancellationToken cancellationToken)
        {
            if (!BindingId.TryParse(Value, out var id))
            {
                return null;
            }

            var binding = await bindings.FindByIdAsync(id, cancellationToken);
            return binding is not null && binding.BusinessLine == Line && binding.CallerId == CallerId ? binding : null;
        }

        internal override Error Ended(BindingStatus status) => BindingErrors.NotActive(status);
    }
}
