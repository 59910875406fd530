using System.Globalization;
using System.Text.Json;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.CreatePickUpWaybill;

/// <summary>
/// CreatePickUpWaybill (docs/provider-rules.md R-LOG-2): a pickup order kept by <c>OuterOrderCode</c>. The address
/// parameters are JSON objects (ProvinceName, CityName, AreaName, AddressDetail required), <c>GoodsInfos</c> a JSON
/// array. One of SendMobile/SendPhone and one of ConsigneeMobile/ConsigneePhone is required, and <c>BizType=1</c>
/// (appointment) requires both AppointGot times: absent, each is <c>Missing{Name}</c> (R-UPD-4). Any other
/// failure is <c>Data.Success="false"</c> (<see cref="PickUpWaybills"/>). A second order with the code of a
/// standing one is refused; a cancelled one may be replaced. Success answers
/// <c>Data{Success: "true", CpCode, MailNo, ErrorCode: 无, ErrorMsg: 无, GotCode}</c> with no top-level Code.
/// </summary>
public sealed class CreatePickUpWaybillHandler(SimulatorStore store, ChinaClock clock, ILogger<CreatePickUpWaybillHandler> logger) : IActionHandler
{
    public string Action => "CreatePickUpWaybill";

    public IReadOnlyList<string> RequiredParameters { get; } =
        ["OuterOrderCode", "OrderChannels", "SendName", "SendAddress", "ConsigneeName", "ConsigneeAddress"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var outerOrderCode = request.Required("OuterOrderCode");
        if (ReadOrder(request, now, out var order) is { } result)
        {
            if (result is ActionResult.ShapedBody shaped)
            {
                SimulatorLog.PickUpOrder(logger, PhoneMask.MaskDigitRuns(outerOrderCode), "refused", shaped.LoggedCode, request.RequestId);
            }

            return result;
        }

        var (error, created) = store.Transact<(BusinessError? Error, PickUpOrder? Order)>(state =>
        {
            if (state.FindPickUpOrder(outerOrderCode) is { IsCancelled: false })
            {
                return (BusinessError.ForbiddenAction("a pickup order with this OuterOrderCode already exists."), null);
            }

            var stored = order with
            {
                CpCode = order.CpCode.Length > 0 ? order.CpCode : PickUpWaybills.Couriers[state.Random.Next(PickUpWaybills.Couriers.Count)],
                MailNo = state.NextMailNo(),
                GotCode = state.Random.Next(1000, 10000).ToString(CultureInfo.InvariantCulture),
            };
            state.Put(stored);
            return (null, stored);
        });

        if (error is not null)
        {
            SimulatorLog.PickUpOrder(logger, PhoneMask.MaskDigitRuns(outerOrderCode), "refused", error.Code, request.RequestId);
            return PickUpWaybills.Refused(error, "false");
        }

        SimulatorLog.PickUpOrder(logger, PhoneMask.MaskDigitRuns(outerOrderCode), "created", "OK", request.RequestId);
        return PickUpWaybills.Answer("OK", new ResponseBody
        {
            { "Success", "true" },
            { "CpCode", created!.CpCode },
            { "MailNo", created.MailNo },
            { "ErrorCode", PickUpWaybills.None },
            { "ErrorMsg", PickUpWaybills.None },
            { "GotCode", created.GotCode },
        });
    }

    /// <summary>Checks everything that needs no state; the order comes back without CpCode (if not sent), MailNo and GotCode.</summary>
    private ActionResult? ReadOrder(ActionRequest request, DateTimeOffset now, out PickUpOrder order)
    {
        order = null!;
        var sendMobile = request.Optional("SendMobile");
        var sendPhone = request.Optional("SendPhone");
        var consigneeMobile = request.Optional("ConsigneeMobile");
        var consigneePhone = request.Optional("ConsigneePhone");
        if (sendMobile is null && sendPhone is null)
        {
            return ActionResult.Missing("SendMobile");
        }

        if (consigneeMobile is null && consigneePhone is null)
        {
            return ActionResult.Missing("ConsigneeMobile");
        }

        var bizTypeText = request.Optional("BizType") ?? "0";
        if (bizTypeText is not ("0" or "1"))
        {
            return Refuse(BusinessError.InvalidParameters("BizType must be 0 (real-time) or 1 (appointment)."));
        }

        var bizType = bizTypeText == "1" ? 1 : 0;
        DateTimeOffset? appointStart = null;
        DateTimeOffset? appointEnd = null;
        if (bizType == 1)
        {
            var startText = request.Optional("AppointGotStartTime");
            var endText = request.Optional("AppointGotEndTime");
            if (startText is null)
            {
                return ActionResult.Missing("AppointGotStartTime");
            }

            if (endText is null)
            {
                return ActionResult.Missing("AppointGotEndTime");
            }

            if (!clock.TryParseBusinessTime(startText, out var start) || !clock.TryParseBusinessTime(endText, out var end) || end <= start || end <= now)
            {
                return Refuse(BusinessError.InvalidParameters(
                    "AppointGotStartTime and AppointGotEndTime must be yyyy-MM-dd HH:mm:ss (China time), the end after the start and in the future."));
            }

            (appointStart, appointEnd) = (start, end);
        }

        foreach (var (name, value) in new[] { ("SendMobile", sendMobile), ("SendPhone", sendPhone), ("ConsigneeMobile", consigneeMobile), ("ConsigneePhone", consigneePhone) })
        {
            if (value is not null && !ParameterRules.IsPhoneNumber(value))
            {
                return Refuse(BusinessError.MobileNumberIllegal(name));
            }
        }

        var sendAddress = request.Required("SendAddress");
        var consigneeAddress = request.Required("ConsigneeAddress");
        var badAddress = PickUpWaybills.TryReadObject(sendAddress, "SendAddress", PickUpWaybills.AddressFields, out _)
            ?? PickUpWaybills.TryReadObject(consigneeAddress, "ConsigneeAddress", PickUpWaybills.AddressFields, out _);
        if (badAddress is not null)
        {
            return Refuse(badAddress);
        }

        var goodsInfos = request.Optional("GoodsInfos");
        if (goodsInfos is not null && !IsArrayOfObjects(goodsInfos))
        {
            return Refuse(BusinessError.InvalidParameters("GoodsInfos must be a JSON array of objects."));
        }

        order = new PickUpOrder(
            request.Required("OuterOrderCode"), request.Required("OrderChannels"), request.Optional("CpCode") ?? string.Empty, string.Empty, string.Empty,
            bizType, appointStart, appointEnd, request.Required("SendName"), sendMobile, sendPhone, sendAddress, request.Required("ConsigneeName"),
            consigneeMobile, consigneePhone, consigneeAddress, goodsInfos, request.Optional("Remark"), now);
        return null;
    }

    private static ActionResult Refuse(BusinessError error) => PickUpWaybills.Refused(error, "false");

    private static bool IsArrayOfObjects(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Array
                && document.RootElement.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
