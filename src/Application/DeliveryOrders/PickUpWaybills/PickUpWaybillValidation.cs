using System.Text.RegularExpressions;
using BindingService.Application.Common;
using BindingService.Domain.Common;

namespace BindingService.Application.DeliveryOrders.PickUpWaybills;

/// <summary>
/// Checks a pickup request at the boundary. Messages name the field, never its value (names, numbers and addresses are
/// personal data). Whether a courier serves the addresses, and whether a slot is still free, only the provider knows.
/// </summary>
internal static partial class PickUpWaybillValidation
{
    public const int MaxName = 32;
    public const int MaxAddressPart = 64;
    public const int MaxAddressDetail = 128;
    public const int MaxGoodsName = 32;
    public const int MaxRemark = 128;
    public const long MaxWeightGrams = 1_000_000;

    public static PickUpContact? Party(PickUpContactInput? input, string field, bool addressRequired, Dictionary<string, string[]> errors)
    {
        if (input is null)
        {
            errors[field] = ["Required: name, mobile and address."];
            return null;
        }

        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > MaxName)
        {
            errors[$"{field}.name"] = [$"1 to {MaxName} characters."];
        }

        if (!PhoneNumber.TryParse(input.Mobile, out var mobile))
        {
            errors[$"{field}.mobile"] = ["A phone number, digits only: an 11-digit mobile or a landline with its area code."];
        }

        if (input.Address is null)
        {
            if (addressRequired)
            {
                errors[$"{field}.address"] = ["Required: province, city, area and detail."];
            }
        }
        else
        {
            AddressPart(input.Address.Province, $"{field}.address.province", MaxAddressPart, errors);
            AddressPart(input.Address.City, $"{field}.address.city", MaxAddressPart, errors);
            AddressPart(input.Address.Area, $"{field}.address.area", MaxAddressPart, errors);
            AddressPart(input.Address.Detail, $"{field}.address.detail", MaxAddressDetail, errors);
        }

        return errors.Count == before ? new PickUpContact(input.Name!.Trim(), mobile!, input.Address) : null;
    }

    public static string? Courier(string? courier, Dictionary<string, string[]> errors)
    {
        if (courier is null)
        {
            return null;
        }

        if (!CourierCode().IsMatch(courier))
        {
            errors["courier"] = ["The courier company's code, 1 to 16 letters or digits (e.g. YTO)."];
            return null;
        }

        return courier.ToUpperInvariant();
    }

    public static void Weight(long? grams, Dictionary<string, string[]> errors)
    {
        if (grams is < 1 or > MaxWeightGrams)
        {
            errors["weightGrams"] = [$"Whole grams, 1 to {MaxWeightGrams}."];
        }
    }

    public static void Appointment(DateTimeOffset? start, DateTimeOffset? end, Dictionary<string, string[]> errors)
    {
        if (start is null != end is null)
        {
            errors[start is null ? "appointmentStart" : "appointmentEnd"] = ["Give both ends of the slot, or neither for a real-time pickup."];
        }
        else if (start is { } s && end is { } e && e <= s)
        {
            errors["appointmentEnd"] = ["After appointmentStart."];
        }
    }

    /// <summary>Free text shown to the courier: bounded, and no phone number (7 digits in a row).</summary>
    public static void Text(string? text, string field, int max, Dictionary<string, string[]> errors)
    {
        if (text is not null && (text.Length > max || DigitRun().IsMatch(text)))
        {
            errors[field] = [$"At most {max} characters, and no phone number."];
        }
    }

    private static void AddressPart(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > max)
        {
            errors[field] = [$"1 to {max} characters."];
        }
    }

    [GeneratedRegex("^[A-Za-z0-9]{1,16}$")]
    private static partial Regex CourierCode();

    [GeneratedRegex(@"\d{7}")]
    private static partial Regex DigitRun();
}
