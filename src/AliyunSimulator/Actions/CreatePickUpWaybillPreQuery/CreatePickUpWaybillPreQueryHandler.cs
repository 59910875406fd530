using System.Globalization;
using BindingService.AliyunSimulator.Responses;

namespace BindingService.AliyunSimulator.Actions.CreatePickUpWaybillPreQuery;

/// <summary>
/// CreatePickUpWaybillPreQuery (docs/provider-rules.md R-LOG-4): availability, time slots and price before ordering.
/// <c>SenderInfo</c> and <c>ConsigneeInfo</c> are JSON objects with <c>Name</c> and <c>Mobile</c>;
/// <c>OrderChannels</c> must not contain <c>_</c> (B.16); <c>PreWeight</c> is whole grams. A failure is
/// <c>Data.Success=false</c> with <c>ErrorCode</c>/<c>ErrorMsg</c> (no top-level Code, R-FMT-3). Success answers one
/// <c>CpTimeSelectList</c> entry for the requested courier, or the one assigned when <c>CpCode</c> is omitted, with no
/// courier field (B.15) [sim]: real-time pickup is selectable 08:00–18:00 China time; appointments are offered for
/// the next three days in four two-hour slots from 09:00; <c>PrePrice</c> (only with PreWeight) is 10.00 yuan for
/// the first kilogram plus 2.00 per further started kilogram.
/// </summary>
public sealed class CreatePickUpWaybillPreQueryHandler(ChinaClock clock) : IActionHandler
{
    public const int RealTimeFromHour = 8;
    public const int RealTimeUntilHour = 18;
    public const int AppointmentDays = 3;
    public static readonly IReadOnlyList<(string Start, string End)> Slots =
        [("09:00:00", "11:00:00"), ("11:00:00", "13:00:00"), ("13:00:00", "15:00:00"), ("15:00:00", "17:00:00")];

    public string Action => "CreatePickUpWaybillPreQuery";

    public IReadOnlyList<string> RequiredParameters { get; } = ["SenderInfo", "ConsigneeInfo", "OrderChannels"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var badInput = PickUpWaybills.TryReadObject(request.Required("SenderInfo"), "SenderInfo", ["Name", "Mobile"], out _)
            ?? PickUpWaybills.TryReadObject(request.Required("ConsigneeInfo"), "ConsigneeInfo", ["Name", "Mobile"], out _);
        if (badInput is not null)
        {
            return PickUpWaybills.Refused(badInput, false);
        }

        if (request.Required("OrderChannels").Contains('_', StringComparison.Ordinal))
        {
            return PickUpWaybills.Refused(BusinessError.InvalidParameters("OrderChannels must not contain an underscore."), false);
        }

        string? prePrice = null;
        if (request.Optional("PreWeight") is { } weightText)
        {
            if (!ParameterRules.TryParseInt(weightText, out var grams) || grams <= 0)
            {
                return PickUpWaybills.Refused(BusinessError.InvalidParameters("PreWeight must be a positive whole number of grams."), false);
            }

            var extraKilograms = (grams - 1) / 1000;
            prePrice = (10m + (2m * extraKilograms)).ToString("F2", CultureInfo.InvariantCulture);
        }

        var chinaNow = clock.ToChina(clock.UtcNow);
        var realTimeOpen = chinaNow.Hour is >= RealTimeFromHour and < RealTimeUntilHour;
        var today = DateOnly.FromDateTime(chinaNow.DateTime);
        var appointTimes = Enumerable.Range(1, AppointmentDays)
            .Select(d => (object)new ResponseBody
            {
                { "Date", today.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
                { "DateSelectable", true },
                {
                    "TimeList", Slots.Select(s => (object)new ResponseBody
                    {
                        { "StartTime", s.Start },
                        { "EndTime", s.End },
                        { "Selectable", true },
                    }).ToList()
                },
            })
            .ToList();
        var entry = new ResponseBody
        {
            {
                "RealTime", new ResponseBody
                {
                    { "Name", "2小时上门" },
                    { "Selectable", realTimeOpen },
                    { "SelectDisableTip", realTimeOpen ? null : "超过实时单下单时间范围" },
                }
            },
            { "AppointTimes", appointTimes },
            { "PrePrice", prePrice },
        };
        return PickUpWaybills.Answer("OK", new ResponseBody
        {
            { "Success", true },
            { "ErrorCode", PickUpWaybills.None },
            { "ErrorMsg", PickUpWaybills.None },
            { "Code", "0" },
            { "Message", "Success" },
            { "CpTimeSelectList", new List<object> { entry } },
        });
    }
}
