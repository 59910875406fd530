using System.Globalization;
using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.QuerySecretNoRemain;

/// <summary>
/// QuerySecretNoRemain (docs/provider-rules.md R-NUM-3): the stock on sale. SpecId 1 or 2: one city's <c>Amount</c>;
/// <c>全国</c> the nationwide total; <c>全国列表</c> also <c>RemainDTOList.remainDTO[]</c>, one entry per city with
/// stock (cities with none omitted). SpecId 3: City must be <c>全国通用</c>, total only. <c>SecretNo</c> counts only
/// numbers with that prefix. <c>City</c> is echoed (B.9).
/// </summary>
public sealed class QuerySecretNoRemainHandler(SimulatorStore store) : IActionHandler
{
    public const string Nationwide = "全国";
    public const string NationwideList = "全国列表";

    public string Action => "QuerySecretNoRemain";

    public IReadOnlyList<string> RequiredParameters { get; } = ["City", "SpecId"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var city = request.Required("City");
        if (InventoryParameters.TryRead(request, out var specId, out var prefix) is { } invalid)
        {
            return invalid;
        }

        if (specId == 3 && city != NumberDefaults.Nationwide95)
        {
            return BusinessError.InvalidParameters("95 numbers (SpecId 3) have no home city: City must be 全国通用.");
        }

        if (specId != 3 && city == NumberDefaults.Nationwide95)
        {
            return BusinessError.InvalidParameters("全国通用 is only for 95 numbers (SpecId 3).");
        }

        var matching = store.Transact(state => state.Stock.Where(n => n.Matches(specId, null, prefix)).ToList());
        if (city is Nationwide or NumberDefaults.Nationwide95)
        {
            return Remain(matching.Count, city, list: null);
        }

        if (city == NationwideList)
        {
            // Grouped from what is on sale, so a city with no stock never appears (R-NUM-3).
            var perCity = matching
                .GroupBy(n => n.City, StringComparer.Ordinal)
                .Select(g => (object)new ResponseBody { { "Amount", (long)g.Count() }, { "City", g.Key } })
                .ToList();
            return Remain(matching.Count, city, new ResponseBody { { "remainDTO", perCity } });
        }

        return Remain(matching.Count(n => string.Equals(n.City, city, StringComparison.Ordinal)), city, list: null);
    }

    private static ActionResult Remain(long amount, string city, ResponseBody? list) => ActionResult.Ok(new ResponseBody
    {
        { "SecretRemainDTO", new ResponseBody { { "Amount", amount }, { "City", city }, { "RemainDTOList", list } } },
    });
}

/// <summary>SpecId (1, 2 or 3, R-NUM-2) and the optional SecretNo prefix (digits, at most 18) of QuerySecretNoRemain and BuySecretNo.</summary>
public static class InventoryParameters
{
    public static BusinessError? TryRead(ActionRequest request, out long specId, out string? prefix)
    {
        ArgumentNullException.ThrowIfNull(request);
        prefix = request.Optional("SecretNo");
        if (!long.TryParse(request.Required("SpecId"), NumberStyles.None, CultureInfo.InvariantCulture, out specId) || specId is < 1 or > 3)
        {
            return BusinessError.InvalidParameters("SpecId must be 1 (170/171), 2 (carrier) or 3 (95).");
        }

        if (prefix is not null && (prefix.Length > 18 || !prefix.All(char.IsAsciiDigit)))
        {
            return BusinessError.InvalidParameters("SecretNo is a number prefix of at most 18 digits.");
        }

        return null;
    }
}
