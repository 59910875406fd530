using System.Net;
using BindingService.Application.Abstractions;
using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Tests.Aliyun.Support;

namespace BindingService.Infrastructure.Tests.Aliyun;

/// <summary>
/// Reading the documents' success bodies (docs/provider-rules.md, 'Actions') into the typed responses, including the documents' type
/// inconsistencies (docs/provider-rules.md, 'Documentation quirks'): numbers as strings and back, booleans as "true", arrays as single objects, wrapped lists,
/// and the two waybill responses without a Code (R-FMT-3).
/// </summary>
public sealed class DyplsapiActionResponseTests
{
    private const string PoolKey = "FC123456";
    private static readonly DateTimeOffset At = new(2026, 1, 1, 4, 0, 0, TimeSpan.Zero);

    private static async Task<T> Read<T>(string body, Func<IDyplsapiClient, Task<ProviderResult<T>>> call)
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(body);
        var result = await call(host.Dyplsapi);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value!;
    }

    private static BindAxnRequest AxnBind => new() { PoolKey = PoolKey, PhoneNoA = "13812345678", Expiration = At };

    [Fact]
    public async Task Binds_ReadTheSecretBindDto()
    {
        var axn = await Read(DocumentedBodies.BindAxn, c => c.BindAxnAsync(AxnBind, default));
        var extension = await Read(DocumentedBodies.BindAxnExtension, c => c.BindAxnExtensionAsync(
            new BindAxnExtensionRequest { PoolKey = PoolKey, PhoneNoA = "13812345678", Expiration = At }, default));
        var axg = await Read(DocumentedBodies.BindAxg, c => c.BindAxgAsync(
            new BindAxgRequest { PoolKey = PoolKey, PhoneNoA = "13812345678", Expiration = At, GroupId = 1234 }, default));

        Assert.Equal(("100000076879****", "170****0000"), (axn.SecretBindDTO!.SubsId, axn.SecretBindDTO.SecretNo));
        Assert.Equal("F655A8D5-B967-440B-8683-DAD6FF8DE990", axn.RequestId);
        Assert.Equal(("100000082000****", "150*****0000", "130"), (extension.SecretBindDTO!.SubsId, extension.SecretBindDTO.SecretNo, extension.SecretBindDTO.Extension));
        Assert.Equal(("100000076389****", "171****0000"), (axg.SecretBindDTO!.SubsId, axg.SecretBindDTO.SecretNo));
    }

    [Theory]
    [InlineData("""{"Code":"OK","RequestId":"R"}""")]
    [InlineData("""{"Code":"OK","RequestId":"R","SecretBindDTO":{"SubsId":"1","SecretNo":" "}}""")]
    public async Task ABind_OkWithoutItsBinding_IsMalformed_WithTheOutcomeUnknown(string body)
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(body);

        var result = await host.Dyplsapi.BindAxnAsync(AxnBind, default);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unknown, "Client.MalformedResponse", OutcomeUnknown: true), result.Error);
    }

    [Theory]
    [InlineData(DocumentedBodies.CreateAxgGroup)]
    [InlineData("""{"Code":"OK","RequestId":"R","GroupId":2000000000001}""")]
    public async Task CreateAxgGroup_ReadsTheGroupId_QuotedOrNot(string body)
    {
        var response = await Read(body, c => c.CreateAxgGroupAsync(new CreateAxgGroupRequest { PoolKey = PoolKey }, default));

        Assert.Equal(2000000000001, response.GroupId);
    }

    [Theory]
    [InlineData(DocumentedBodies.QuerySubsId, new[] { "117809" })]
    [InlineData("""{"Code":"OK","RequestId":"R","SubsId":"11111111, 22222222"}""", new[] { "11111111", "22222222" })]
    [InlineData("""{"Code":"OK","RequestId":"R","SubsId":117809}""", new[] { "117809" })]
    [InlineData("""{"Code":"OK","RequestId":"R","SubsId":""}""", new string[0])]
    public async Task QuerySubsId_SplitsTheCommaSeparatedIds(string body, string[] expected)
    {
        var response = await Read(body, c => c.QuerySubsIdAsync(new QuerySubsIdRequest { PoolKey = PoolKey, PhoneNoX = "17000000000" }, default));

        Assert.Equal(expected, response.SubsIds);
    }

    [Fact]
    public async Task QuerySecretNoDetail_ReadsTheNumberInfo()
    {
        var info = (await Read(DocumentedBodies.QuerySecretNoDetail, c => c.QuerySecretNoDetailAsync(
            new QuerySecretNoDetailRequest { PoolKey = PoolKey, SecretNo = "17000000000" }, default))).SecretNoInfoDTO!;

        Assert.Equal("2021-12-03 15:19:27", info.PurchaseTime);
        Assert.Equal(new DateTimeOffset(2021, 12, 3, 7, 19, 27, TimeSpan.Zero), ChinaTime.Standard.Parse(info.PurchaseTime!));
        Assert.Equal((1L, "陕西省", "西安", 0L, 0L), (info.Vendor, info.Province, info.City, info.SecretStatus, info.CertifyStatus));
    }

    [Theory]
    [InlineData(DocumentedBodies.ConfirmSendSms)]
    [InlineData("""{"Code":"OK","RequestId":"R","Data":true}""")]
    [InlineData("""{"Code":"OK","RequestId":"R","Data":"True"}""")]
    public async Task ConfirmSendSms_ReadsDataTrue_AsStringOrBoolean(string body)
    {
        var response = await Read(body, c => c.ConfirmSendSmsAsync(new ConfirmSendSmsRequest { PoolKey = PoolKey, SecretNo = "17000000000", CallId = "c" }, default));

        Assert.True(response.Data);
    }

    [Fact]
    public async Task Recordings_ReadTheirUrls()
    {
        var file = await Read(DocumentedBodies.QueryRecordFileDownloadUrl, c => c.QueryRecordFileDownloadUrlAsync(
            new QueryRecordFileDownloadUrlRequest { PoolKey = PoolKey, CallId = "c", CallTime = At }, default));
        var total = await Read(DocumentedBodies.GetTotalPublicUrl, c => c.GetTotalPublicUrlAsync(
            new GetTotalPublicUrlRequest { CheckSubs = true, PartnerKey = PoolKey, CallId = "c", CallTime = At }, default));

        Assert.StartsWith("http://secret-axb-reco****cn-shanghai.aliyuncs.com/1000000820257625_", file.DownloadUrl, StringComparison.Ordinal);
        Assert.Contains("&OSSAccessKeyId=", file.DownloadUrl, StringComparison.Ordinal);
        Assert.Equal("http://secret-ab-reco/ring.mp3?Expires=1551759607", total.Data!.RingPublicUrl);
        Assert.Equal("http://secret-axb-reco/phone.mp3?Expires=1551759607", total.Data.PhonePublicUrl);
    }

    [Theory]
    [InlineData(DocumentedBodies.GetSecretAsrDetail)]
    [InlineData( // the XML example's single element, as a single JSON object, with numbers as strings
        """{"Code":"OK","RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990","Data":{"RequestId":"8d2329d407a83447a83be441681f4872ac74nE","Code":"21050000","BizDuration":"10944","Type":"asrResult","Sentences":{"EndTime":"1770","SilenceDuration":"0","BeginTime":"1020","Text":"您好","ChannelId":"0","SpeechRate":"80","EmotionValue":5.7}}}""")]
    public async Task GetSecretAsrDetail_ReadsTheNestedResult(string body)
    {
        var response = await Read(body, c => c.GetSecretAsrDetailAsync(new GetSecretAsrDetailRequest { PoolKey = PoolKey, CallId = "c", CallTime = At }, default));

        Assert.Equal("F655A8D5-B967-440B-8683-DAD6FF8DE990", response.RequestId);
        var data = response.Data!;
        Assert.Equal(("8d2329d407a83447a83be441681f4872ac74nE", "21050000", 10944L, "asrResult"), (data.RequestId, data.Code, data.BizDuration, data.Type));
        var sentence = Assert.Single(data.Sentences!);
        Assert.Equal((1020L, 1770L, 0L, "您好", 0L, 80L, "5.7"), (sentence.BeginTime, sentence.EndTime, sentence.SilenceDuration, sentence.Text, sentence.ChannelId, sentence.SpeechRate, sentence.EmotionValue));
    }

    [Fact]
    public async Task QuerySecretNoRemain_ReadsTheAmount_AndTheWrappedPerCityList()
    {
        var single = await Read(DocumentedBodies.QuerySecretNoRemain, c => c.QuerySecretNoRemainAsync(new QuerySecretNoRemainRequest { City = "杭州", SpecId = 1 }, default));
        var list = await Read(DocumentedBodies.QuerySecretNoRemainList, c => c.QuerySecretNoRemainAsync(new QuerySecretNoRemainRequest { City = "全国列表", SpecId = 1 }, default));
        var bare = await Read(
            """{"Code":"OK","RequestId":"R","SecretRemainDTO":{"RemainDTOList":[{"Amount":120,"City":"武汉"}]}}""",
            c => c.QuerySecretNoRemainAsync(new QuerySecretNoRemainRequest { City = "全国列表", SpecId = 1 }, default));

        Assert.Equal((0L, "杭州"), (single.SecretRemainDTO!.Amount, single.SecretRemainDTO.City));
        Assert.Null(single.SecretRemainDTO.RemainDTOList);
        Assert.Equal(150, list.SecretRemainDTO!.Amount);
        Assert.Equal([("武汉", 120L), ("杭州", 30L)], list.SecretRemainDTO.RemainDTOList!.Select(r => (r.City!, r.Amount!.Value)));
        Assert.Equal(("武汉", 120L), (bare.SecretRemainDTO!.RemainDTOList![0].City, bare.SecretRemainDTO.RemainDTOList[0].Amount));
    }

    [Fact]
    public async Task BuySecretNo_ReadsTheBoughtNumber()
    {
        var response = await Read(DocumentedBodies.BuySecretNo, c => c.BuySecretNoAsync(new BuySecretNoRequest { City = "杭州", PoolKey = PoolKey, SpecId = 1 }, default));

        Assert.Equal("17100000000", response.SecretBuyInfoDTO!.SecretNo);
    }

    [Theory]
    [InlineData(DocumentedBodies.QueryPhoneNoAByTrackNo)]
    [InlineData("""{"Code":"OK","RequestId":"R","Module":{"Extension":130,"PhoneNoX":"1710000****","PhoneNoA":"1310000****"}}""")]
    public async Task QueryPhoneNoAByTrackNo_ReadsTheModuleList_EvenAsASingleObject(string body)
    {
        var response = await Read(body, c => c.QueryPhoneNoAByTrackNoAsync(new QueryPhoneNoAByTrackNoRequest { TrackNo = "t" }, default));

        var module = Assert.Single(response.Module!);
        Assert.Equal(("130", "1710000****", "1310000****"), (module.Extension, module.PhoneNoX, module.PhoneNoA));
    }

    [Theory]
    [InlineData("UnbindSubscription", """{"Message":"OK","RequestId":"9B2757F9-8FD0-48B9-9640-EF54783A06C4","ChargeId":true,"Code":"OK"}""")]
    [InlineData("AddAxnTrackNo", DocumentedBodies.AddAxnTrackNo)]
    [InlineData("LockSecretNo", DocumentedBodies.Ok)]
    [InlineData("OperateBlackNo", """{"Code":"ok","RequestId":"2D1AEB96-96D0-454E-B0DC-AE2A8DF08020"}""")]
    public async Task CodeOnlyActions_SucceedOnOk_WhateverTheMessage(string action, string body)
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(body);
        var c = host.Dyplsapi;

        var (succeeded, requestId) = action switch
        {
            "UnbindSubscription" => await Outcome(c.UnbindSubscriptionAsync(new UnbindSubscriptionRequest { PoolKey = PoolKey, SubsId = "1", SecretNo = "17000000000" }, default)),
            "AddAxnTrackNo" => await Outcome(c.AddAxnTrackNoAsync(new AddAxnTrackNoRequest { PoolKey = PoolKey, PhoneNoX = "17000000000", TrackNo = "t", SubsId = "1" }, default)),
            "LockSecretNo" => await Outcome(c.LockSecretNoAsync(new LockSecretNoRequest { PoolKey = PoolKey, SecretNo = "17000000000" }, default)),
            _ => await Outcome(c.OperateBlackNoAsync(new OperateBlackNoRequest { PoolKey = PoolKey, BlackNo = "13800000000", OperateType = BlackNoOperations.DeleteBlack }, default)),
        };

        Assert.True(succeeded);
        Assert.NotNull(requestId);

        static async Task<(bool, string?)> Outcome<T>(Task<ProviderResult<T>> call)
            where T : PopResponse
        {
            var result = await call;
            return (result.IsSuccess, result.Value?.RequestId);
        }
    }

    [Fact]
    public async Task CreatePickUpWaybill_SucceedsOnHttpStatusCode200_WithoutACode_AndSurfacesData()
    {
        var response = await Read(DocumentedBodies.CreatePickUpWaybill, c => c.CreatePickUpWaybillAsync(Waybill(), default));

        Assert.Null(response.Code);
        Assert.Equal(200, response.HttpStatusCode);
        var data = response.Data!;
        Assert.True(data.Success);
        Assert.Equal(("YTO", "77312345629****", "无", "3524"), (data.CpCode, data.MailNo, data.ErrorCode, data.GotCode));
    }

    [Fact]
    public async Task CreatePickUpWaybill_SurfacesABusinessFailureInData_ForTheCallerToCheck()
    {
        var response = await Read(
            """{"RequestId":"R","HttpStatusCode":"200","Message":"OK","Data":{"Success":"false","ErrorCode":"ADDRESS_INVALID","ErrorMsg":"provider text"}}""",
            c => c.CreatePickUpWaybillAsync(Waybill(), default));

        Assert.False(response.Data!.Success);
        Assert.Equal("ADDRESS_INVALID", response.Data.ErrorCode);
    }

    [Theory]
    [InlineData("""{"RequestId":"R","HttpStatusCode":500,"Message":"provider text"}""", ProviderErrorKind.Unavailable, "Http.500", true)]
    [InlineData("""{"RequestId":"R","HttpStatusCode":400,"Message":"provider text"}""", ProviderErrorKind.Unknown, "Http.400", false)]
    [InlineData("""{"RequestId":"R","Code":"isv.INVALID_PARAMETERS","Message":"provider text"}""", ProviderErrorKind.InvalidRequest, "isv.INVALID_PARAMETERS", false)]
    [InlineData("""{"RequestId":"R","HttpStatusCode":200}""", ProviderErrorKind.Unknown, "Client.MalformedResponse", true)]
    public async Task CreatePickUpWaybill_FailsOnAnotherHttpStatusCode_ACode_OrNoData(string body, ProviderErrorKind kind, string code, bool outcomeUnknown)
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(body);

        var result = await host.Dyplsapi.CreatePickUpWaybillAsync(Waybill(), default);

        Assert.Equal(new ProviderError(kind, code, outcomeUnknown), result.Error);
    }

    [Fact]
    public async Task CancelPickUpWaybill_ReadsTheBooleanSuccess()
    {
        var response = await Read(DocumentedBodies.CancelPickUpWaybill, c => c.CancelPickUpWaybillAsync(new CancelPickUpWaybillRequest { OuterOrderCode = "1", CancelDesc = "d" }, default));

        Assert.Equal("OK", response.Code);
        Assert.True(response.Data!.Success);
        Assert.Equal("无", response.Data.ErrorCode);
    }

    [Fact]
    public async Task CreatePickUpWaybillPreQuery_SucceedsWithoutACode_AndReadsTheSlots()
    {
        var response = await Read(DocumentedBodies.CreatePickUpWaybillPreQuery, c => c.CreatePickUpWaybillPreQueryAsync(PreQuery(), default));

        var data = response.Data!;
        Assert.Equal((true, "0"), (data.Success, data.Code));
        var courier = Assert.Single(data.CpTimeSelectList!);
        Assert.Equal(("2小时上门", false, "超过实时单下单时间范围"), (courier.RealTime!.Name, courier.RealTime.Selectable, courier.RealTime.SelectDisableTip));
        Assert.Equal("12.50", courier.PrePrice);
        var day = Assert.Single(courier.AppointTimes!);
        Assert.Equal(("2022-04-28", true), (day.Date, day.DateSelectable));
        var slot = Assert.Single(day.TimeList!);
        Assert.Equal(("10:00:00", "12:00:00", true, "约满"), (slot.StartTime, slot.EndTime, slot.Selectable, slot.SelectDisableTip));
    }

    [Fact]
    public async Task CreatePickUpWaybillPreQuery_ReadsSingleElementsWhereArraysAreDocumented()
    {
        var response = await Read(
            """
            {"RequestId":"R","HttpStatusCode":200,"Data":{"Success":"True","Code":0,
             "CpTimeSelectList":{"AppointTimes":{"Date":"2022-04-28","DateSelectable":"true","TimeList":{"StartTime":"10:00:00","Selectable":"false"}}}}}
            """,
            c => c.CreatePickUpWaybillPreQueryAsync(PreQuery(), default));

        var data = response.Data!;
        Assert.Equal((true, "0"), (data.Success, data.Code));
        var slot = Assert.Single(Assert.Single(Assert.Single(data.CpTimeSelectList!).AppointTimes!).TimeList!);
        Assert.Equal(("10:00:00", false), (slot.StartTime, slot.Selectable));
    }

    [Fact]
    public async Task AFailure_KeepsTheProviderCodeOnly()
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(Samples.GatewayError("RamPermissionDenied"), HttpStatusCode.BadRequest);

        var result = await host.Dyplsapi.AddSecretBlacklistAsync(
            new AddSecretBlacklistRequest { PoolKey = PoolKey, BlackNo = "13800000000", BlackType = BlackTypes.PartnerGlobalNumber }, default);

        Assert.Equal(new ProviderError(ProviderErrorKind.AuthenticationFailed, "RamPermissionDenied"), result.Error);
        Assert.DoesNotContain("must not leak", result.Error!.ToString(), StringComparison.Ordinal);
    }

    private static CreatePickUpWaybillRequest Waybill()
    {
        var address = new WaybillAddress("浙江", "杭州", "西湖区", "XX小区XX号");
        return new CreatePickUpWaybillRequest
        {
            OuterOrderCode = "1", OrderChannels = "C", SendName = "S", SendMobile = "13800000001", SendAddress = address,
            ConsigneeName = "R", ConsigneeMobile = "13800000002", ConsigneeAddress = address,
        };
    }

    private static CreatePickUpWaybillPreQueryRequest PreQuery() => new()
    {
        SenderInfo = new PickUpParty("S", "13800000001"),
        ConsigneeInfo = new PickUpParty("R", "13800000002"),
        OrderChannels = "Test",
    };
}
