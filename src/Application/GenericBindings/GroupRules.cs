using BindingService.Application.Common;
using BindingService.Domain.Common;
using BindingService.Domain.Groups;

namespace BindingService.Application.GenericBindings;

internal static class GroupRules
{
    /// <summary>Parses a member list into <paramref name="numbers"/> (repeats dropped), naming offending entries by index.</summary>
    public static void ParseMembers(ValidationErrors errors, string field, IReadOnlyList<string?>? input, bool required, out List<PhoneNumber> numbers)
    {
        numbers = [];
        if (input is null || input.Count == 0)
        {
            if (required)
            {
                errors.Add(field, "Required: at least one phone number.");
            }

            return;
        }

        if (input.Count > AxgGroup.MaxMembers)
        {
            errors.Add(field, $"At most {AxgGroup.MaxMembers} numbers.");
            return;
        }

        for (var i = 0; i < input.Count; i++)
        {
            if (PhoneNumber.TryParse(input[i], out var number))
            {
                numbers.Add(number);
            }
            else
            {
                errors.Add($"{field}[{i}]", "An 11-digit mainland mobile number or a landline with area code, digits only.");
            }
        }

        numbers = [.. numbers.Distinct()];
    }

    public static Error TooManyMembers => Error.Unprocessable("group.too_many_members", $"A G group holds at most {AxgGroup.MaxMembers} numbers.");
}
