using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;

namespace BindingService.Application.RideOrders.ProtectRideOrder;

public static class ProtectRideOrderValidator
{
    public const int MaxCityLength = 32;

    /// <summary>Null when valid; otherwise a validation error naming each offending field.</summary>
    public static Error? Validate(ProtectRideOrder request, DateTimeOffset now, ProtectionOptions options)
    {
        var errors = new ValidationErrors();
        if (!OrderKey.IsValidId(request.OrderId, OrderKey.MaxOrderIdLength))
        {
            errors.Add("orderId", "Must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'.");
        }

        var passengerOk = PhoneNumber.TryParse(request.PassengerPhone, out var passenger);
        if (!passengerOk)
        {
            errors.Add("passengerPhone", "Required: an 11-digit mainland mobile number or a landline with area code, digits only.");
        }

        var driverOk = PhoneNumber.TryParse(request.DriverPhone, out var driver);
        if (!driverOk)
        {
            errors.Add("driverPhone", "Required: an 11-digit mainland mobile number or a landline with area code, digits only.");
        }

        if (passengerOk && driverOk && passenger == driver)
        {
            errors.Add("driverPhone", "Must differ from passengerPhone.");
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
