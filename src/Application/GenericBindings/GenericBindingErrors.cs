using BindingService.Application.Common;

namespace BindingService.Application.GenericBindings;

internal static class GenericBindingErrors
{
    public static readonly Error NotFound = Error.NotFound("binding.not_found", "No generic binding exists with this id.");

    public static readonly Error OtherParties = Error.Conflict(
        "order.bound_with_other_parties", "The order already has an open binding of another product or with other parties. Delete it first.");

    public static readonly Error GroupNotFound = Error.NotFound("group.not_found", "No G group exists with this id.");

    public static Error NotActive(string status) => Error.Conflict("binding.not_active", $"Only an active binding can change; this one is {status}.");

    public static Error Pending => Error.Unavailable("binding.pending", "The binding is still being set up. Retry shortly.", TimeSpan.FromSeconds(2));
}
