using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Domain.Groups;

namespace BindingService.Application.GenericBindings.CreateGenericBinding;

public static class CreateGenericBindingValidator
{
    public const int MaxCityLength = 32;
    public const int MaxPoolKeyLength = 64;

    private const string PhoneRule = "An 11-digit mainland mobile number or a landline with area code, digits only.";

    /// <summary>Null when valid; otherwise a validation error naming each offending field.</summary>
    public static Error? Validate(CreateGenericBinding request, DateTimeOffset now, ProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors();
        var productOk = WireNames.TryParseProduct(request.Product, out var product);
        if (!productOk)
        {
            errors.Add("product", $"Required: {WireNames.ProductValues}.");
        }

        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            errors.Add("orderId", "Required: 1 to 64 characters of letters, digits, '-', '_', '.' or ':'.");
        }

        var aOk = PhoneNumber.TryParse(request.PartyA, out var partyA);
        if (!aOk)
        {
            errors.Add("partyA", "Required: " + PhoneRule);
        }

        PhoneNumber? partyB = null;
        if (request.PartyB is not null && !PhoneNumber.TryParse(request.PartyB, out partyB))
        {
            errors.Add("partyB", PhoneRule);
        }
        else if (request.PartyB is null && productOk && product == BindingProduct.Axb)
        {
            errors.Add("partyB", "Required for an AXB binding.");
        }

        if (aOk && partyB is not null && partyA == partyB)
        {
            errors.Add("partyB", "Must differ from partyA.");
        }

        if (request.PoolKey is { } pool && (pool.Length == 0 || pool.Length > MaxPoolKeyLength || !pool.All(char.IsAsciiLetterOrDigit)))
        {
            errors.Add("poolKey", $"Must be 1 to {MaxPoolKeyLength} letters or digits.");
        }

        if (request.City is { } city && (city.Length == 0 || city.Length > MaxCityLength || city.Any(char.IsControl)))
        {
            errors.Add("city", $"Must be 1 to {MaxCityLength} printable characters.");
        }

        if (request.Extension is { } extension)
        {
            if (productOk && product != BindingProduct.AxnExtension)
            {
                errors.Add("extension", "Only an axnExtension binding has an extension.");
            }
            else if (extension.Length is < 1 or > 3 || !extension.All(char.IsAsciiDigit))
            {
                errors.Add("extension", "Must be 1 to 3 digits.");
            }
        }

        if (request.GroupId is { } groupId)
        {
            if (productOk && product != BindingProduct.Axg)
            {
                errors.Add("groupId", "Only an axg binding has a G group.");
            }
            else if (!AxgGroupId.TryParse(groupId, out _))
            {
                errors.Add("groupId", "Must be the id of a G group created through /v1/groups.");
            }
        }
        else if (productOk && product == BindingProduct.Axg)
        {
            errors.Add("groupId", "Required for an AXG binding: the id of a G group created through /v1/groups.");
        }

        if (request.CallRestriction is { } restriction && !WireNames.TryParseCallRestriction(restriction, out _))
        {
            errors.Add("callRestriction", $"Must be {WireNames.CallRestrictionValues}.");
        }

        ValidateExpiry(errors, request.ExpiresAt, now, options);
        return errors.IsEmpty ? null : errors.ToError();
    }

    internal static void ValidateExpiry(ValidationErrors errors, DateTimeOffset? expiresAt, DateTimeOffset now, ProtectionOptions options)
    {
        if (expiresAt is not { } expiry)
        {
            return;
        }

        if (expiry < now + options.MinTtl)
        {
            errors.Add("expiresAt", $"Must be at least {options.MinTtl.TotalMinutes:0} minutes from now.");
        }
        else if (expiry > now + options.MaxTtl)
        {
            errors.Add("expiresAt", $"Must be at most {options.MaxTtl.TotalDays:0.#} days from now.");
        }
    }
}
