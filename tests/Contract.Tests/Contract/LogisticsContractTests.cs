using BindingService.Application.Abstractions;
using BindingService.Contract.Tests.Support;
using BindingService.Infrastructure.Aliyun;

namespace BindingService.Contract.Tests.Contract;

/// <summary>
/// Tracking numbers and pickup orders (docs/provider-rules.md R-LOG-1..4, R-QRY-3) through our client against the
/// simulator. The pickup actions report a refused order inside <c>Data</c> (<c>Success</c> false with an
/// <c>ErrorCode</c>, R-LOG-2..4), which our client passes to its caller as a parsed answer, not as a ProviderError.
/// </summary>
public sealed class LogisticsContractTests(ContractSimulator sim) : IClassFixture<ContractSimulator>
{
    /// <summary>无 ("none"): ErrorCode of a success.</summary>
    private const string NoError = "无";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    [Contract("AddAxnTrackNo", ContractCheck.Success)]
    public async Task AddAxnTrackNo_AttachesTheTrackingNumberToTheAxnBinding()
    {
        var (subsId, x, _) = await BindAxnAsync();
        var trackNo = NewTrackNo();

        var added = ProviderAssert.Succeeds(await sim.Dyplsapi.AddAxnTrackNoAsync(
            new AddAxnTrackNoRequest { PoolKey = SimulatorProcess.AxnPool, PhoneNoX = x, SubsId = subsId, TrackNo = trackNo }, None));

        // R-LOG-1; the lowercase wire name trackNo (T75) signs and arrives.
        Assert.Equal("OK", added.Code);
        Assert.Equal([trackNo], (await sim.Control.BindingAsync(subsId))!.TrackNos);
    }

    [Fact]
    [Contract("AddAxnTrackNo", ContractCheck.Error)]
    public async Task AddAxnTrackNo_OnAnAxbBinding_IsForbidden()
    {
        var (subsId, x, _, _) = await sim.BindAxbAsync();

        var result = await sim.Dyplsapi.AddAxnTrackNoAsync(
            new AddAxnTrackNoRequest { PoolKey = SimulatorProcess.AxbPool, PhoneNoX = x, SubsId = subsId, TrackNo = NewTrackNo() }, None);

        ProviderAssert.Fails(result, "isv.FORBIDDEN_ACTION", ProviderErrorKind.Forbidden);
        Assert.Empty((await sim.Control.BindingAsync(subsId))!.TrackNos);
    }

    [Fact]
    [Contract("QueryPhoneNoAByTrackNo", ContractCheck.Success)]
    public async Task QueryPhoneNoAByTrackNo_FindsAAndXOfTheBindingCarryingIt()
    {
        var (subsId, x, a) = await BindAxnAsync();
        var trackNo = NewTrackNo();
        ProviderAssert.Succeeds(await sim.Dyplsapi.AddAxnTrackNoAsync(
            new AddAxnTrackNoRequest { PoolKey = SimulatorProcess.AxnPool, PhoneNoX = x, SubsId = subsId, TrackNo = trackNo }, None));

        var found = ProviderAssert.Succeeds(await sim.Dyplsapi.QueryPhoneNoAByTrackNoAsync(new QueryPhoneNoAByTrackNoRequest { TrackNo = trackNo }, None));

        // R-QRY-3: Module[{Extension, PhoneNoX, PhoneNoA}].
        Assert.Equal("OK", found.Code);
        var module = Assert.Single(found.Module!);
        PhoneAssert.Equal(a, module.PhoneNoA);
        PhoneAssert.Equal(x, module.PhoneNoX);

        // PhoneNoX narrows the result; an unknown tracking number finds nothing.
        var otherX = x == "17100000001" ? "17100000002" : "17100000001";
        Assert.Empty(ProviderAssert.Succeeds(await sim.Dyplsapi.QueryPhoneNoAByTrackNoAsync(new QueryPhoneNoAByTrackNoRequest { TrackNo = trackNo, PhoneNoX = otherX }, None)).Module!);
        Assert.Empty(ProviderAssert.Succeeds(await sim.Dyplsapi.QueryPhoneNoAByTrackNoAsync(new QueryPhoneNoAByTrackNoRequest { TrackNo = NewTrackNo() }, None)).Module!);
    }

    [Fact]
    [Contract("QueryPhoneNoAByTrackNo", ContractCheck.Error)]
    public async Task QueryPhoneNoAByTrackNo_SignedWithAWrongSecret_IsSignatureDoesNotMatch()
    {
        // The action has no business error (an unknown trackNo finds nothing), so its error is the gateway's (A.3),
        // with the lowercase trackNo sorted last in the string to sign (docs/provider-rules.md, 'Signing', step 2).
        await using var wrong = ProviderClient.For(sim.Simulator, s => s["Aliyun:AccessKeySecret"] = "not-the-secret");

        var result = await wrong.Dyplsapi.QueryPhoneNoAByTrackNoAsync(new QueryPhoneNoAByTrackNoRequest { TrackNo = NewTrackNo() }, None);

        ProviderAssert.Fails(result, "SignatureDoesNotMatch", ProviderErrorKind.AuthenticationFailed);
    }

    [Fact]
    [Contract("CreatePickUpWaybill", ContractCheck.Success)]
    public async Task CreatePickUpWaybill_BooksAPickupOrder()
    {
        var (code, sender, consignee) = (NewOrderCode(), TestPhones.Next(), TestPhones.Next());

        var created = ProviderAssert.Succeeds(await sim.Dyplsapi.CreatePickUpWaybillAsync(Order(code, sender, consignee), None));

        // R-FMT-3: no top-level Code, HttpStatusCode 200; R-LOG-2: Data{Success "true", CpCode, MailNo, GotCode, ErrorCode 无}.
        Assert.Null(created.Code);
        Assert.Equal(200, created.HttpStatusCode);
        var data = Assert.IsType<PickUpWaybillDto>(created.Data);
        Assert.Equal((true, "YTO", NoError), (data.Success, data.CpCode, data.ErrorCode));
        Assert.Matches("^[0-9]{15}$", data.MailNo);
        Assert.Matches("^[0-9]{4}$", data.GotCode);

        var stored = (await sim.Control.WaybillsAsync()).Single(w => w.OuterOrderCode == code);
        Assert.Equal((data.MailNo, data.GotCode, "YTO", false, "YUN_DIAN_SHANG", 0), (stored.MailNo, stored.GotCode, stored.CpCode, stored.Cancelled, stored.OrderChannels, stored.BizType));
        PhoneAssert.Equal(sender, stored.SendMobile);
        PhoneAssert.Equal(consignee, stored.ConsigneeMobile);
        Assert.Contains("\"CityName\":\"西安\"", stored.SendAddress, StringComparison.Ordinal); // an Object parameter as JSON text (docs/provider-rules.md, 'Requests and responses')
        Assert.Contains("\"Weight\":\"1000\"", stored.GoodsInfos, StringComparison.Ordinal); // T88: Weight as a string
    }

    [Fact]
    [Contract("CreatePickUpWaybill", ContractCheck.Error)]
    public async Task CreatePickUpWaybill_WithTheCodeOfAStandingOrder_IsRefusedInData_AndKeepsTheFirst()
    {
        var code = NewOrderCode();
        var first = ProviderAssert.Succeeds(await sim.Dyplsapi.CreatePickUpWaybillAsync(Order(code, TestPhones.Next(), TestPhones.Next()), None));

        var second = ProviderAssert.Succeeds(await sim.Dyplsapi.CreatePickUpWaybillAsync(Order(code, TestPhones.Next(), TestPhones.Next()), None));

        Assert.Equal(200, second.HttpStatusCode);
        var data = Assert.IsType<PickUpWaybillDto>(second.Data);
        Assert.Equal((false, "isv.FORBIDDEN_ACTION"), (data.Success, data.ErrorCode));
        Assert.Equal(first.Data!.MailNo, (await sim.Control.WaybillsAsync()).Single(w => w.OuterOrderCode == code).MailNo);
    }

    [Fact]
    [Contract("CancelPickUpWaybill", ContractCheck.Success)]
    public async Task CancelPickUpWaybill_CancelsTheOrder()
    {
        var code = NewOrderCode();
        ProviderAssert.Succeeds(await sim.Dyplsapi.CreatePickUpWaybillAsync(Order(code, TestPhones.Next(), TestPhones.Next()), None));

        var cancelled = ProviderAssert.Succeeds(await sim.Dyplsapi.CancelPickUpWaybillAsync(new CancelPickUpWaybillRequest { OuterOrderCode = code, CancelDesc = "不想退货了" }, None));

        // R-LOG-3: Code OK and Data.Success true (a Boolean here, T83).
        Assert.Equal("OK", cancelled.Code);
        Assert.Equal((true, NoError), (cancelled.Data!.Success, cancelled.Data.ErrorCode));
        var stored = (await sim.Control.WaybillsAsync()).Single(w => w.OuterOrderCode == code);
        Assert.Equal((true, "不想退货了"), (stored.Cancelled, stored.CancelDesc));
    }

    [Fact]
    [Contract("CancelPickUpWaybill", ContractCheck.Error)]
    public async Task CancelPickUpWaybill_OfAnUnknownOrder_IsRefusedInData()
    {
        var code = NewOrderCode();

        var answer = ProviderAssert.Succeeds(await sim.Dyplsapi.CancelPickUpWaybillAsync(new CancelPickUpWaybillRequest { OuterOrderCode = code, CancelDesc = "不想退货了" }, None));

        // R-LOG-3 [inferred]: Data.Success false with its ErrorCode ([sim] isv.ORDER_NOT_EXIST).
        Assert.Equal((false, "isv.ORDER_NOT_EXIST"), (answer.Data!.Success, answer.Data.ErrorCode));
        Assert.DoesNotContain(code, (await sim.Control.WaybillsAsync()).Select(w => w.OuterOrderCode));
    }

    [Fact]
    [Contract("CreatePickUpWaybillPreQuery", ContractCheck.Success)]
    public async Task CreatePickUpWaybillPreQuery_OffersTimeSlotsAndAPrice()
    {
        var before = (await sim.Control.WaybillsAsync()).Count;

        var answer = ProviderAssert.Succeeds(await sim.Dyplsapi.CreatePickUpWaybillPreQueryAsync(
            new CreatePickUpWaybillPreQueryRequest
            {
                SenderInfo = new PickUpParty("王XX", TestPhones.Next(), new WaybillAddress("浙江省", "杭州市", "西湖区", "XX小区XX号", "XX街道")),
                ConsigneeInfo = new PickUpParty("李XX", TestPhones.Next(), new WaybillAddress("陕西省", "西安市", "长安区", "XX小区XX号")),
                CpCode = "YTO",
                PreWeight = 2500,
                OrderChannels = "Test",
            },
            None));

        // R-LOG-4, R-FMT-3: no top-level Code; Data{Success, Code "0", CpTimeSelectList[{RealTime, AppointTimes[{Date, TimeList[]}], PrePrice}]}.
        Assert.Null(answer.Code);
        Assert.Equal(200, answer.HttpStatusCode);
        var data = Assert.IsType<PreQueryDataDto>(answer.Data);
        Assert.Equal((true, "0", NoError), (data.Success, data.Code, data.ErrorCode));
        var courier = Assert.Single(data.CpTimeSelectList!);
        Assert.False(string.IsNullOrWhiteSpace(courier.RealTime!.Name));
        Assert.NotNull(courier.RealTime.Selectable);
        Assert.Matches(@"^[0-9]+\.[0-9]{2}$", courier.PrePrice); // yuan, two decimals, only with PreWeight
        Assert.NotEmpty(courier.AppointTimes!);
        Assert.All(courier.AppointTimes!, day =>
        {
            Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", day.Date);
            Assert.NotEmpty(day.TimeList!);
            Assert.All(day.TimeList!, slot =>
            {
                Assert.Matches("^[0-9]{2}:[0-9]{2}:[0-9]{2}$", slot.StartTime);
                Assert.Matches("^[0-9]{2}:[0-9]{2}:[0-9]{2}$", slot.EndTime);
                Assert.True(string.CompareOrdinal(slot.StartTime, slot.EndTime) < 0);
            });
        });

        // A pre-query books nothing.
        Assert.Equal(before, (await sim.Control.WaybillsAsync()).Count);
    }

    [Fact]
    [Contract("CreatePickUpWaybillPreQuery", ContractCheck.Error)]
    public async Task CreatePickUpWaybillPreQuery_WithAnUnderscoreInOrderChannels_IsRefusedInData()
    {
        // R-LOG-4, B.16: OrderChannels must not contain '_' in the pre-query.
        var answer = ProviderAssert.Succeeds(await sim.Dyplsapi.CreatePickUpWaybillPreQueryAsync(
            new CreatePickUpWaybillPreQueryRequest
            {
                SenderInfo = new PickUpParty("王XX", TestPhones.Next()),
                ConsigneeInfo = new PickUpParty("李XX", TestPhones.Next()),
                OrderChannels = "YUN_DIAN_SHANG",
            },
            None));

        var data = Assert.IsType<PreQueryDataDto>(answer.Data);
        Assert.Equal((false, "isv.INVALID_PARAMETERS"), (data.Success, data.ErrorCode));
        Assert.Empty(data.CpTimeSelectList ?? []);
    }

    private async Task<(string SubsId, string SecretNo, string PhoneNoA)> BindAxnAsync()
    {
        var a = TestPhones.Next();
        var bound = ProviderAssert.Succeeds(await sim.Dyplsapi.BindAxnAsync(
            new BindAxnRequest { PoolKey = SimulatorProcess.AxnPool, PhoneNoA = a, Expiration = ChinaTimes.InHours(2) }, None));
        return (bound.SecretBindDTO!.SubsId!, bound.SecretBindDTO.SecretNo!, a);
    }

    private static CreatePickUpWaybillRequest Order(string code, string sender, string consignee) => new()
    {
        OuterOrderCode = code,
        OrderChannels = "YUN_DIAN_SHANG", // underscores are fine here (T82)
        CpCode = "YTO",
        SendName = "王XX",
        SendMobile = sender,
        SendAddress = new WaybillAddress("陕西省", "西安", "未央区", "XX小区XX号", "XX街道"),
        ConsigneeName = "张XX",
        ConsigneeMobile = consignee,
        ConsigneeAddress = new WaybillAddress("浙江", "杭州", "西湖区", "XX小区XX号"),
        Remark = "易碎物品",
        GoodsInfos = [new GoodsInfo("鞋子", Weight: 1000, Quantity: 1)],
        BizType = PickUpBizTypes.RealTime,
    };

    private static string NewTrackNo() => "YT" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    private static string NewOrderCode() => "OC" + Guid.NewGuid().ToString("N")[..14].ToUpperInvariant();
}
