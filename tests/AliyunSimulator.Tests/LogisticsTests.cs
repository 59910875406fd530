using System.Net;
using System.Text.Json;
using BindingService.AliyunSimulator.Tests.Support;
using static BindingService.AliyunSimulator.Tests.Support.ProductCalls;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>AddAxnTrackNo, QueryPhoneNoAByTrackNo and the pickup waybills (docs/provider-rules.md, 'Logistics', R-FMT-3).</summary>
public sealed class LogisticsTests : IAsyncLifetime
{
    private const string Address = """{"ProvinceName":"陕西省","CityName":"西安","AreaName":"未央区","TownName":"XX街道","AddressDetail":"XX小区XX号"}""";
    private const string ConsigneeAddress = """{"ProvinceName":"浙江","CityName":"杭州","AreaName":"西湖区","AddressDetail":"XX小区XX号"}""";

    private RunningSimulator sim = null!;

    public async Task InitializeAsync() => sim = await RunningSimulator.StartAsync();

    public async Task DisposeAsync() => await sim.DisposeAsync();

    private Task<PopResponse> AddTrackNoAsync(string poolKey, JsonElement dto, string trackNo) => sim.Pop.PostAsync(
        "AddAxnTrackNo", ("PoolKey", poolKey), ("PhoneNoX", dto.Text("SecretNo")), ("trackNo", trackNo), ("SubsId", dto.Text("SubsId")));

    private Task<PopResponse> WaybillAsync(string outerOrderCode, params (string Name, string Value)[] extra)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OuterOrderCode"] = outerOrderCode,
            ["OrderChannels"] = "YUN_DIAN_SHANG",
            ["SendName"] = "王XX",
            ["SendMobile"] = TestPhones.Next(),
            ["SendAddress"] = Address,
            ["ConsigneeName"] = "张XX",
            ["ConsigneeMobile"] = TestPhones.Next(),
            ["ConsigneeAddress"] = ConsigneeAddress,
            ["GoodsInfos"] = """[{"Name":"鞋子","Weight":"1000","Quantity":"1"}]""",
        };
        foreach (var (name, value) in extra)
        {
            if (value.Length == 0)
            {
                parameters.Remove(name);
            }
            else
            {
                parameters[name] = value;
            }
        }

        return sim.Pop.PostAsync("CreatePickUpWaybill", [.. parameters.Select(p => (p.Key, p.Value))]);
    }

    private Task<PopResponse> PreQueryAsync(params (string Name, string Value)[] extra) => sim.Pop.PostAsync(
        "CreatePickUpWaybillPreQuery",
        [
            ("SenderInfo", """{"Name":"王XX","Mobile":"13900001234","AddressInfo":{"ProvinceName":"浙江省","CityName":"杭州市"}}"""),
            ("ConsigneeInfo", """{"Name":"李XX","Mobile":"13900001111"}"""),
            ("OrderChannels", "Test"),
            .. extra,
        ]);

    [Fact]
    public async Task AddAxnTrackNo_ThenQueryPhoneNoAByTrackNo_FindsAAndX_WithMessageRequestSucceeded()
    {
        var a = TestPhones.Next();
        var dto = await sim.BindOkInAsync("BindAxn", AxnPool, a);

        var add = await AddTrackNoAsync(AxnPool, dto, "YT2257300001");
        var query = await sim.Pop.PostAsync("QueryPhoneNoAByTrackNo", ("trackNo", "YT2257300001"));

        Assert.Equal("OK", add.Code);
        Assert.Equal("请求成功", add.Message);
        Assert.Equal("OK", query.Code);
        Assert.Equal("请求成功", query.Message);
        var found = Assert.Single(query.Field("Module").EnumerateArray());
        Assert.Equal(a, found.Text("PhoneNoA"));
        Assert.Equal(dto.Text("SecretNo"), found.Text("PhoneNoX"));
        Assert.False(found.TryGetProperty("Extension", out _));
        Assert.Equal("YT2257300001", Assert.Single(Assert.Single(await sim.BindingsAsync()).GetProperty("trackNos").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task QueryPhoneNoAByTrackNo_ReturnsEveryBindingWithTheTrackNo_WithExtension_AndPhoneNoXNarrowsIt()
    {
        var axn = await sim.BindOkInAsync("BindAxn", AxnPool, TestPhones.Next());
        var ext = await sim.BindOkInAsync("BindAxnExtension", AxnExtensionPool, TestPhones.Next());
        Assert.Equal("OK", (await AddTrackNoAsync(AxnPool, axn, "T-1")).Code);
        Assert.Equal("OK", (await AddTrackNoAsync(AxnExtensionPool, ext, "T-1")).Code);

        var all = await sim.Pop.PostAsync("QueryPhoneNoAByTrackNo", ("trackNo", "T-1"));
        var narrowed = await sim.Pop.PostAsync("QueryPhoneNoAByTrackNo", ("trackNo", "T-1"), ("PhoneNoX", ext.Text("SecretNo")), ("CabinetNo", "25689"));
        var unknown = await sim.Pop.PostAsync("QueryPhoneNoAByTrackNo", ("trackNo", "T-2"));

        Assert.Equal(2, all.Field("Module").GetArrayLength());
        var only = Assert.Single(narrowed.Field("Module").EnumerateArray());
        Assert.Equal(ext.Text("Extension"), only.Text("Extension"));
        Assert.Equal("OK", unknown.Code);
        Assert.Equal(0, unknown.Field("Module").GetArrayLength());
    }

    [Fact]
    public async Task QueryPhoneNoAByTrackNo_NoLongerFindsUnboundOrExpiredBindings()
    {
        var dto = await sim.BindOkInAsync("BindAxn", AxnPool, TestPhones.Next());
        await AddTrackNoAsync(AxnPool, dto, "T-9");

        sim.Clock.Advance(TimeSpan.FromHours(3));
        var afterExpiry = await sim.Pop.PostAsync("QueryPhoneNoAByTrackNo", ("trackNo", "T-9"));

        Assert.Equal(0, afterExpiry.Field("Module").GetArrayLength());
    }

    [Fact]
    public async Task TrackNo_IsLowerCaseOnTheWire_TrackNoIsNotAccepted()
    {
        // R-SIG-2: names are case-sensitive.
        var response = await sim.Pop.PostAsync("QueryPhoneNoAByTrackNo", ("TrackNo", "T-1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("MissingtrackNo", response.Code);
    }

    [Fact]
    public async Task AddAxnTrackNo_OnAnAxbBinding_IsForbidden_AndOnAnUnknownBinding_SubsNotExist()
    {
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var onAxb = await sim.Pop.PostAsync("AddAxnTrackNo", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoX", x), ("trackNo", "T-1"), ("SubsId", subsId));
        var unknown = await sim.Pop.PostAsync("AddAxnTrackNo", ("PoolKey", AxnPool), ("PhoneNoX", "17100000001"), ("trackNo", "T-1"), ("SubsId", "1"));

        Assert.Equal("isv.FORBIDDEN_ACTION", onAxb.Code);
        Assert.Equal("isv.SUBS_NOT_EXIST", unknown.Code);
    }

    [Fact]
    public async Task CreatePickUpWaybill_AnswersHttpStatusCodeAndData_WithNoTopLevelCode()
    {
        var response = await WaybillAsync("143234234266001", ("CpCode", "YTO"), ("Remark", "易碎物品"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.False(response.Json.TryGetProperty("Code", out _), "R-FMT-3: no top-level Code");
        Assert.Equal(200, response.Field("HttpStatusCode").GetInt32());
        Assert.Equal("OK", response.Message);
        Assert.Matches("^[0-9A-F-]{36}$", response.RequestId);
        var data = response.Field("Data");
        Assert.Equal(JsonValueKind.String, data.GetProperty("Success").ValueKind);
        Assert.Equal("true", data.Text("Success"));
        Assert.Equal("YTO", data.Text("CpCode"));
        Assert.Matches("^[0-9]{15}$", data.Text("MailNo"));
        Assert.Matches("^[0-9]{4}$", data.Text("GotCode"));
        Assert.Equal("无", data.Text("ErrorCode"));
        Assert.Equal("无", data.Text("ErrorMsg"));
        var waybill = Assert.Single(await sim.ControlListAsync("/_sim/waybills"));
        Assert.Equal("143234234266001", waybill.Text("outerOrderCode"));
        Assert.Equal(data.Text("MailNo"), waybill.Text("mailNo"));
        Assert.False(waybill.GetProperty("cancelled").GetBoolean());
    }

    [Fact]
    public async Task CreatePickUpWaybill_WithoutCpCode_IsAssignedOne()
    {
        var response = await WaybillAsync("O-1");

        Assert.Contains(response.Field("Data").Text("CpCode"), new[] { "YTO", "ZTO", "STO", "YUNDA" });
    }

    [Fact]
    public async Task CreatePickUpWaybill_BizType1_WithoutAppointmentTimes_IsRejected_AndWithThem_Succeeds()
    {
        var withoutStart = await WaybillAsync("O-2", ("BizType", "1"));
        var withoutEnd = await WaybillAsync("O-2", ("BizType", "1"), ("AppointGotStartTime", sim.ChinaTime(TimeSpan.FromDays(1))));
        var reversed = await WaybillAsync(
            "O-2", ("BizType", "1"), ("AppointGotStartTime", sim.ChinaTime(TimeSpan.FromDays(1))), ("AppointGotEndTime", sim.ChinaTime(TimeSpan.FromHours(20))));
        var booked = await WaybillAsync(
            "O-2", ("BizType", "1"), ("AppointGotStartTime", "2026-03-02 10:00:00"), ("AppointGotEndTime", "2026-03-02 12:00:00"));

        Assert.Equal(HttpStatusCode.BadRequest, withoutStart.Status);
        Assert.Equal("MissingAppointGotStartTime", withoutStart.Code);
        Assert.Equal("MissingAppointGotEndTime", withoutEnd.Code);
        Assert.Equal("false", reversed.Field("Data").Text("Success"));
        Assert.Equal("isv.INVALID_PARAMETERS", reversed.Field("Data").Text("ErrorCode"));
        Assert.Equal("true", booked.Field("Data").Text("Success"));
        Assert.Equal("2026-03-02T10:00:00+08:00", Assert.Single(await sim.ControlListAsync("/_sim/waybills")).Text("appointGotStartTime"));
    }

    [Fact]
    public async Task CreatePickUpWaybill_InvalidInput_AnswersDataSuccessFalse_OrMissing()
    {
        var noSenderPhone = await WaybillAsync("O-3", ("SendMobile", string.Empty));
        var addressNotJson = await WaybillAsync("O-3", ("SendAddress", "陕西省西安"));
        var addressWithoutCity = await WaybillAsync("O-3", ("ConsigneeAddress", """{"ProvinceName":"浙江","AreaName":"西湖区","AddressDetail":"X"}"""));
        var badBizType = await WaybillAsync("O-3", ("BizType", "2"));
        var goodsNotArray = await WaybillAsync("O-3", ("GoodsInfos", """{"Name":"鞋子"}"""));
        var landlineOnly = await WaybillAsync("O-3", ("SendMobile", string.Empty), ("SendPhone", "057188450000"));

        Assert.Equal("MissingSendMobile", noSenderPhone.Code);
        foreach (var refused in new[] { addressNotJson, addressWithoutCity, badBizType, goodsNotArray })
        {
            Assert.False(refused.Json.TryGetProperty("Code", out _));
            Assert.Equal(200, refused.Field("HttpStatusCode").GetInt32());
            Assert.Equal("false", refused.Field("Data").Text("Success"));
            Assert.Equal("isv.INVALID_PARAMETERS", refused.Field("Data").Text("ErrorCode"));
        }

        Assert.Equal("true", landlineOnly.Field("Data").Text("Success"));
    }

    [Fact]
    public async Task CreatePickUpWaybill_ASecondOrderWithAStandingCode_IsRefused_ButACancelledOneMayBeReplaced()
    {
        await WaybillAsync("O-4");

        var duplicate = await WaybillAsync("O-4");
        await sim.Pop.PostAsync("CancelPickUpWaybill", ("OuterOrderCode", "O-4"), ("CancelDesc", "不想退货了"));
        var replaced = await WaybillAsync("O-4");

        Assert.Equal("isv.FORBIDDEN_ACTION", duplicate.Field("Data").Text("ErrorCode"));
        Assert.Equal("true", replaced.Field("Data").Text("Success"));
    }

    [Fact]
    public async Task CancelPickUpWaybill_CancelsTheOrder_WithCodeOkAndMessageRequestSucceeded()
    {
        await WaybillAsync("O-5");

        var response = await sim.Pop.PostAsync("CancelPickUpWaybill", ("OuterOrderCode", "O-5"), ("CancelDesc", "不想退货了"));

        Assert.Equal("OK", response.Code);
        Assert.Equal("请求成功", response.Message);
        var data = response.Field("Data");
        Assert.Equal(JsonValueKind.True, data.GetProperty("Success").ValueKind);
        Assert.Equal("取消成功", data.Text("Message"));
        Assert.Equal("无", data.Text("ErrorCode"));
        Assert.Equal("无", data.Text("ErrorMsg"));
        var waybill = Assert.Single(await sim.ControlListAsync("/_sim/waybills"));
        Assert.True(waybill.GetProperty("cancelled").GetBoolean());
        Assert.Equal("不想退货了", waybill.Text("cancelDesc"));
    }

    [Fact]
    public async Task CancelPickUpWaybill_UnknownOrAlreadyCancelled_AnswersDataSuccessFalse()
    {
        await WaybillAsync("O-6");
        await sim.Pop.PostAsync("CancelPickUpWaybill", ("OuterOrderCode", "O-6"), ("CancelDesc", "x"));

        var unknown = await sim.Pop.PostAsync("CancelPickUpWaybill", ("OuterOrderCode", "O-NOPE"), ("CancelDesc", "x"));
        var twice = await sim.Pop.PostAsync("CancelPickUpWaybill", ("OuterOrderCode", "O-6"), ("CancelDesc", "x"));
        var noReason = await sim.Pop.PostAsync("CancelPickUpWaybill", ("OuterOrderCode", "O-6"));

        Assert.Equal("OK", unknown.Code);
        Assert.False(unknown.Field("Data").GetProperty("Success").GetBoolean());
        Assert.Equal("isv.ORDER_NOT_EXIST", unknown.Field("Data").Text("ErrorCode"));
        Assert.Equal("isv.ORDER_ALREADY_CANCELLED", twice.Field("Data").Text("ErrorCode"));
        Assert.Equal("MissingCancelDesc", noReason.Code);
    }

    [Fact]
    public async Task PreQuery_AnswersTimeSlotsAndPrePrice_WithNoTopLevelCode()
    {
        var response = await PreQueryAsync(("CpCode", "YTO"), ("PreWeight", "2000"), ("OuterOrderCode", "787DFHHDS989"));

        Assert.False(response.Json.TryGetProperty("Code", out _));
        Assert.Equal(200, response.Field("HttpStatusCode").GetInt32());
        Assert.Equal("OK", response.Message);
        var data = response.Field("Data");
        Assert.True(data.GetProperty("Success").GetBoolean());
        Assert.Equal("0", data.Text("Code"));
        Assert.Equal("Success", data.Text("Message"));
        var entry = Assert.Single(data.GetProperty("CpTimeSelectList").EnumerateArray());
        Assert.Equal("12.00", entry.Text("PrePrice"));
        Assert.Equal("2小时上门", entry.GetProperty("RealTime").Text("Name"));
        Assert.True(entry.GetProperty("RealTime").GetProperty("Selectable").GetBoolean(), "10:00 China time is within the real-time window");
        var days = entry.GetProperty("AppointTimes").EnumerateArray().ToList();
        Assert.Equal(["2026-03-02", "2026-03-03", "2026-03-04"], days.Select(d => d.Text("Date")));
        var slot = days[0].GetProperty("TimeList")[0];
        Assert.Equal("10:00:00".Length, slot.Text("StartTime").Length);
        Assert.True(slot.GetProperty("Selectable").GetBoolean());
    }

    [Fact]
    public async Task PreQuery_WithoutPreWeight_HasNoPrePrice_AndAfterHours_RealTimeIsNotSelectable()
    {
        sim.Clock.Advance(TimeSpan.FromHours(10)); // 20:00 China time

        var response = await PreQueryAsync();

        var entry = Assert.Single(response.Field("Data").GetProperty("CpTimeSelectList").EnumerateArray());
        Assert.False(entry.TryGetProperty("PrePrice", out _));
        Assert.False(entry.GetProperty("RealTime").GetProperty("Selectable").GetBoolean());
        Assert.Equal("超过实时单下单时间范围", entry.GetProperty("RealTime").Text("SelectDisableTip"));
    }

    [Theory]
    [InlineData("YUN_DIAN_SHANG")]
    [InlineData("a_b")]
    public async Task PreQuery_OrderChannelsWithAnUnderscore_AnswersDataSuccessFalse(string channels)
    {
        // R-LOG-4 / B.16: OrderChannels must not contain '_' (PreQuery only).
        var response = await PreQueryAsync(("OrderChannels", channels));

        Assert.False(response.Json.TryGetProperty("Code", out _));
        Assert.False(response.Field("Data").GetProperty("Success").GetBoolean());
        Assert.Equal("isv.INVALID_PARAMETERS", response.Field("Data").Text("ErrorCode"));
    }

    [Fact]
    public async Task PreQuery_SenderInfoWithoutMobile_OrBadPreWeight_AnswersDataSuccessFalse()
    {
        var noMobile = await PreQueryAsync(("SenderInfo", """{"Name":"王XX"}"""));
        var badWeight = await PreQueryAsync(("PreWeight", "2kg"));

        Assert.False(noMobile.Field("Data").GetProperty("Success").GetBoolean());
        Assert.False(badWeight.Field("Data").GetProperty("Success").GetBoolean());
    }

    [Fact]
    public async Task PreQuery_InXml_HasTheActionRootAndNoCode()
    {
        var response = await sim.Pop.SendAsync(new PopCall(
            "CreatePickUpWaybillPreQuery",
            ("SenderInfo", """{"Name":"王XX","Mobile":"13900001234"}"""),
            ("ConsigneeInfo", """{"Name":"李XX","Mobile":"13900001111"}"""),
            ("OrderChannels", "Test")) { Format = "XML" });

        Assert.StartsWith("<?xml", response.Body, StringComparison.Ordinal);
        Assert.Contains("<CreatePickUpWaybillPreQueryResponse><RequestId>", response.Body, StringComparison.Ordinal);
        Assert.Contains("<HttpStatusCode>200</HttpStatusCode>", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<Code>OK</Code>", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_CarryNoPhoneTrackingNumberOrOrderCodeInClear()
    {
        var (a, sender) = ("13812340001", "13912340002");
        var dto = await sim.BindOkInAsync("BindAxn", AxnPool, a);
        await AddTrackNoAsync(AxnPool, dto, "7731234567890");
        await WaybillAsync("1432342342669", ("SendMobile", sender));
        await sim.Pop.PostAsync("CancelPickUpWaybill", ("OuterOrderCode", "1432342342669"), ("CancelDesc", "x"));

        var everything = string.Join('\n', sim.Logs.Entries.Select(l => l.Message + " " + string.Join(' ', l.Values.Values)));

        foreach (var secret in new[] { a, sender, dto.Text("SecretNo"), "7731234567890", "1432342342669" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }

        Assert.Contains(sim.Logs.Entries, l => l.EventId == 9152);
        Assert.Contains(sim.Logs.Entries, l => l.EventId == 9153 && l.Values["Outcome"] == "cancelled");
    }
}
