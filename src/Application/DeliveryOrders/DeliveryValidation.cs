using BindingService.Application.Common;

namespace BindingService.Application.DeliveryOrders;

internal static class DeliveryValidation
{
    public const int MaxTrackingNumberLength = 64;

    public const string PhoneRule = "Required: an 11-digit mainland mobile number or a landline with area code, digits only.";

    /// <summary>1 to 64 ASCII letters, digits or '-' (waybill numbers such as YT1234567890).</summary>
    public static bool IsValidTrackingNumber(string? trackingNumber) =>
        !string.IsNullOrEmpty(trackingNumber)
        && trackingNumber.Length <= MaxTrackingNumberLength
        && trackingNumber.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    public static Error InvalidTrackingNumber() => Field("trackingNumber", $"Required: 1 to {MaxTrackingNumberLength} ASCII letters, digits or '-'.");

    public static Error Field(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors.ToError();
    }
}
