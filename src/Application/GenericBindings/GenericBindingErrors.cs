using BindingService.Application.Common;

namespace BindingService.Application.GenericBindings;

/// <summary>Refusals only generic bindings and G groups have (the lifecycle's own are in <see cref="Bindings.BindingErrors"/>).</summary>
internal static class GenericBindingErrors
{
    public static readonly Error PoolNotAllowed = new(ErrorKind.Forbidden, "pool.not_allowed", "This caller may not bind in the named pool; name one of the pools configured for it, or none for the default.");

    public static readonly Error GroupNotFound = Error.NotFound("group.not_found", "No G group exists with this id.");

    public static readonly Error GroupInOtherPool = Error.Unprocessable("group.other_pool", "The G group belongs to another pool than the binding.");

    public static readonly Error GroupEmpty = Error.Unprocessable("group.empty", "An AXG binding needs a G group with at least one number.");
}
