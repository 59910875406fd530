using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;

namespace BindingService.Application.DeliveryOrders.ProtectDeliveryOrder;

public static class ProtectDeliveryOrderValidator
{
    public const int MaxCityLength = 32;

    /// <summary>Null when valid; otherwise a validation error naming each offending field.</summary>
    public static Error? Validate(ProtectDeliveryOrder request, DateTimeOffset now, ProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors();
        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            errors.Add("orderId", "Must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'.");
        }

        var customerOk = PhoneNumber.TryParse(request.CustomerPhone, out var customer);
        if (!customerOk)
        {
            errors.Add("customerPhone", DeliveryValidation.PhoneRule);
        }

        var courierOk = PhoneNumber.TryParse(request.CourierPhone, out var courier);
        if (!courierOk)
        {
            errors.Add("courierPhone", DeliveryValidation.PhoneRule);
        }

        if (customerOk && courierOk && customer == courier)
        {
            errors.Add("courierPhone", "Must differ from customerPhone.");
        }

        if (!DeliveryProducts.TryParse(request.Product, out _))
        {
            errors.Add("product", $"Must be \"{DeliveryProducts.AxnExtension}\" (the default) or \"{DeliveryProducts.Axb}\".");
        }

        if (request.City is { } city && (city.Length == 0 || city.Length > MaxCityLength || city.Any(char.IsControl)))
        {
            errors.Add("city", $"Must be 1 to {MaxCityLength} printable characters.");
        }

        if (request.ExpiresAt is { } expiresAt)
        {
            if (expiresAt < now + options.MinTtl)
            {
                errors.Add("expiresAt", $"Must be at least {options.MinTtl.TotalMinutes:0} minutes from now.");
            }
            else if (expiresAt > now + options.MaxTtl)
            {
                errors.Add("expiresAt", $"Must be at most {options.MaxTtl.TotalDays:0.#} days from now.");
            }
        }

        return errors.IsEmpty ? null : errors.ToError();
    }
}
