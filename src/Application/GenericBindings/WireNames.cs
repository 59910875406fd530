using BindingService.Domain.Bindings;

namespace BindingService.Application.GenericBindings;

/// <summary>How products and call restrictions are spelled on the wire.</summary>
public static class WireNames
{
    public const string ProductValues = "axb, axn, axnExtension or axg";

    public const string CallRestrictionValues = "none, partyACannotCall or partyBCannotCall";

    public static string Product(BindingProduct product) => product switch
    {
        BindingProduct.Axb => "axb",
        BindingProduct.Axn => "axn",
        BindingProduct.AxnExtension => "axnExtension",
        BindingProduct.Axg => "axg",
        _ => throw new ArgumentOutOfRangeException(nameof(product), product, null),
    };

    public static bool TryParseProduct(string? value, out BindingProduct product)
    {
        foreach (var candidate in Enum.GetValues<BindingProduct>())
        {
            if (string.Equals(value, Product(candidate), StringComparison.OrdinalIgnoreCase))
            {
                product = candidate;
                return true;
            }
        }

        product = default;
        return false;
    }

    public static string CallRestriction(CallRestriction restriction) => restriction switch
    {
        Domain.Bindings.CallRestriction.None => "none",
        Domain.Bindings.CallRestriction.PartyACannotCall => "partyACannotCall",
        Domain.Bindings.CallRestriction.PartyBCannotCall => "partyBCannotCall",
        _ => throw new ArgumentOutOfRangeException(nameof(restriction), restriction, null),
    };

    public static bool TryParseCallRestriction(string? value, out CallRestriction restriction)
    {
        foreach (var candidate in Enum.GetValues<CallRestriction>())
        {
            if (string.Equals(value, CallRestriction(candidate), StringComparison.OrdinalIgnoreCase))
            {
                restriction = candidate;
                return true;
            }
        }

        restriction = default;
        return false;
    }
}
