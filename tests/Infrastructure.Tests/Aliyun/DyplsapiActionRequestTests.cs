using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Tests.Aliyun.Support;
using BindingService.PopSignature;

namespace BindingService.Infrastructure.Tests.Aliyun;

/// <summary>
/// For every Dyplsapi action (docs/provider-rules.md, 'Actions'): the exact business parameters on the wire (names, lowercase
/// booleans, China time, JSON in one parameter, comma lists, lowercase trackNo), a valid POST signature, the
/// product version, and the documented success body read as a success.
/// </summary>
public sealed class DyplsapiActionRequestTests
{
    private const string PoolKey = "FC123456";
    private const string A = "13812345678";
    private const string B = "13987654321";
    private const string X = "17000000000";
    private const string SubsId = "1000000768798832";

    /// <summary>2026-01-01 12:00:00 in China.</summary>
    private static readonly DateTimeOffset Expiry = new(2026, 1, 1, 4, 0, 0, TimeSpan.Zero);

    /// <summary>2019-03-05 12:00:00 in China.</summary>
    private static readonly DateTimeOffset CallTime = new(2019, 3, 5, 4, 0, 0, TimeSpan.Zero);

    private static readonly string[] CommonParameters =
        ["Action", "AccessKeyId", "Format", "RegionId", "Signature", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version"];

    private sealed record Case(string Action, string OkBody, Func<IDyplsapiClient, Task<bool>> Call, Dictionary<string, string> Expected);

    private static readonly Dictionary<string, Case> Cases = new Case[]
    {
        new("BindAxb", Samples.BindAxbOk, async c => (await c.BindAxbAsync(
            new BindAxbRequest
            {
                PoolKey = PoolKey, PhoneNoA = A, PhoneNoB = B, PhoneNoX = X, Expiration = Expiry, ExpectCity = "北京", IsRecordingEnabled = true,
                OutId = "b-42", OutOrderId = "34553330", CallRestrict = CallRestricts.AxDisable, CallDisplayType = 1,
                RingConfig = new Dictionary<string, string> { ["AXBRing_B"] = "10000001", ["AXBRing_A"] = "10000002" },
                ASRStatus = false, ASRModelId = "7ee372834d2f4cc7ac0d0ab", CallTimeout = 10,
            }, default)).IsSuccess,
            new()
            {
                ["PoolKey"] = PoolKey, ["PhoneNoA"] = A, ["PhoneNoB"] = B, ["PhoneNoX"] = X, ["Expiration"] = "2026-01-01 12:00:00", ["ExpectCity"] = "北京",
                ["IsRecordingEnabled"] = "true", ["OutId"] = "b-42", ["OutOrderId"] = "34553330", ["CallRestrict"] = "CONTROL_AX_DISABLE", ["CallDisplayType"] = "1",
                ["RingConfig"] = """{"AXBRing_B":"10000001","AXBRing_A":"10000002"}""", ["ASRStatus"] = "false", ["ASRModelId"] = "7ee372834d2f4cc7ac0d0ab", ["CallTimeout"] = "10",
            }),
        new("BindAxn", DocumentedBodies.BindAxn, async c => (await c.BindAxnAsync(
            new BindAxnRequest { PoolKey = PoolKey, PhoneNoA = A, Expiration = Expiry, PhoneNoB = B, NoType = "AXB_170", CallTimeout = 10, ASRStatus = true, IsRecordingEnabled = false }, default)).IsSuccess,
            new()
            {
                ["PoolKey"] = PoolKey, ["PhoneNoA"] = A, ["Expiration"] = "2026-01-01 12:00:00", ["PhoneNoB"] = B, ["NoType"] = "AXB_170", ["CallTimeout"] = "10",
                ["ASRStatus"] = "true", ["IsRecordingEnabled"] = "false",
            }),
        new("BindAxnExtension", DocumentedBodies.BindAxnExtension, async c => (await c.BindAxnExtensionAsync(
            new BindAxnExtensionRequest
            {
                PoolKey = PoolKey, PhoneNoA = A, PhoneNoX = X, Extension = "130", Expiration = Expiry, ASRStatus = true,
                RingConfig = new Dictionary<string, string> { ["AXNRing_N"] = "10000001", ["AXNRing_A"] = "10000001" },
            }, default)).IsSuccess,
            new()
            {
                ["PoolKey"] = PoolKey, ["PhoneNoA"] = A, ["PhoneNoX"] = X, ["Extension"] = "130", ["Expiration"] = "2026-01-01 12:00:00", ["ASRStatus"] = "true",
                ["RingConfig"] = """{"AXNRing_N":"10000001","AXNRing_A":"10000001"}""",
            }),
        new("BindAxg", DocumentedBodies.BindAxg, async c => (await c.BindAxgAsync(
            new BindAxgRequest
            {
                PoolKey = PoolKey, PhoneNoA = A, GroupId = 2000000000001, PhoneNoB = B, PhoneNoX = X, Expiration = Expiry, ExpectCity = "北京",
                IsRecordingEnabled = true, OutId = "abcdef", OutOrderId = "abcdef", CallDisplayType = 1, ASRStatus = false, ASRModelId = "123456",
                CallRestrict = CallRestricts.AxDisable,
                RingConfig = new Dictionary<string, string> { ["AXGRing_AB"] = "100000001", ["AXGRing_A"] = "100000002", ["AXGRing_G"] = "100000003" },
            }, default)).IsSuccess,
            new()
            {
                ["PoolKey"] = PoolKey, ["PhoneNoA"] = A, ["GroupId"] = "2000000000001", ["PhoneNoB"] = B, ["PhoneNoX"] = X, ["Expiration"] = "2026-01-01 12:00:00",
                ["ExpectCity"] = "北京", ["IsRecordingEnabled"] = "true", ["OutId"] = "abcdef", ["OutOrderId"] = "abcdef", ["CallDisplayType"] = "1",
                ["RingConfig"] = """{"AXGRing_AB":"100000001","AXGRing_A":"100000002","AXGRing_G":"100000003"}""", ["ASRStatus"] = "false",
                ["ASRModelId"] = "123456", ["CallRestrict"] = "CONTROL_AX_DISABLE",
            }),
        new("CreateAxgGroup", DocumentedBodies.CreateAxgGroup, async c => (await c.CreateAxgGroupAsync(
            new CreateAxgGroupRequest { PoolKey = PoolKey, Name = "测试分组", Remark = "测试用分组", Numbers = ["13900001234", "13900001111"] }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["Name"] = "测试分组", ["Remark"] = "测试用分组", ["Numbers"] = "13900001234,13900001111" }),
        new("OperateAxgGroup", DocumentedBodies.Ok, async c => (await c.OperateAxgGroupAsync(
            new OperateAxgGroupRequest { PoolKey = PoolKey, GroupId = 1234, OperateType = AxgGroupOperations.AddNumbers, Numbers = ["13900001234", "13900001111"] }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["GroupId"] = "1234", ["OperateType"] = "addNumbers", ["Numbers"] = "13900001234,13900001111" }),
        new("UpdateSubscription", DocumentedBodies.Ok, async c => (await c.UpdateSubscriptionAsync(
            new UpdateSubscriptionRequest
            {
                PoolKey = PoolKey, SubsId = SubsId, PhoneNoX = X, OperateType = SubscriptionOperations.UpdateAxgGroup, GroupId = 1234,
                RingConfig = new Dictionary<string, string> { ["AXGRing_A"] = "10000001" }, ASRStatus = true, ASRModelId = "m1",
            }, default)).IsSuccess,
            new()
            {
                ["PoolKey"] = PoolKey, ["SubsId"] = SubsId, ["PhoneNoX"] = X, ["OperateType"] = "updateAxgGroup", ["GroupId"] = "1234",
                ["RingConfig"] = """{"AXGRing_A":"10000001"}""", ["ASRStatus"] = "true", ["ASRModelId"] = "m1",
            }),
        new("UpdateSubscription by ProductType", DocumentedBodies.Ok, async c => (await c.UpdateSubscriptionAsync(
            new UpdateSubscriptionRequest { ProductType = "AXB_170", SubsId = SubsId, PhoneNoX = X, OperateType = SubscriptionOperations.UpdateExpire, Expiration = Expiry }, default)).IsSuccess,
            new() { ["ProductType"] = "AXB_170", ["SubsId"] = SubsId, ["PhoneNoX"] = X, ["OperateType"] = "updateExpire", ["Expiration"] = "2026-01-01 12:00:00" }),
        new("UnbindSubscription", Samples.UnbindOk, async c => (await c.UnbindSubscriptionAsync(
            new UnbindSubscriptionRequest { PoolKey = PoolKey, SubsId = SubsId, SecretNo = X }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["SubsId"] = SubsId, ["SecretNo"] = X }),
        new("QuerySubscriptionDetail", Samples.QueryOk, async c => (await c.QuerySubscriptionDetailAsync(
            new QuerySubscriptionDetailRequest { PoolKey = PoolKey, ProductType = "AXB_170", SubsId = SubsId, PhoneNoX = X }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["ProductType"] = "AXB_170", ["SubsId"] = SubsId, ["PhoneNoX"] = X }),
        new("QuerySubsId", DocumentedBodies.QuerySubsId, async c => (await c.QuerySubsIdAsync(
            new QuerySubsIdRequest { PoolKey = PoolKey, PhoneNoX = X }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["PhoneNoX"] = X }),
        new("QuerySecretNoDetail", DocumentedBodies.QuerySecretNoDetail, async c => (await c.QuerySecretNoDetailAsync(
            new QuerySecretNoDetailRequest { PoolKey = PoolKey, SecretNo = X }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["SecretNo"] = X }),
        new("ConfirmSendSms", DocumentedBodies.ConfirmSendSms, async c => (await c.ConfirmSendSmsAsync(
            new ConfirmSendSmsRequest { PoolKey = PoolKey, SecretNo = X, CallId = "abcdef1234" }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["SecretNo"] = X, ["CallId"] = "abcdef1234" }),
        new("QueryRecordFileDownloadUrl", DocumentedBodies.QueryRecordFileDownloadUrl, async c => (await c.QueryRecordFileDownloadUrlAsync(
            new QueryRecordFileDownloadUrlRequest { PoolKey = PoolKey, CallId = "abcdef1234", CallTime = CallTime }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["CallId"] = "abcdef1234", ["CallTime"] = "2019-03-05 12:00:00" }),
        new("GetTotalPublicUrl", DocumentedBodies.GetTotalPublicUrl, async c => (await c.GetTotalPublicUrlAsync(
            new GetTotalPublicUrlRequest { CheckSubs = false, PartnerKey = PoolKey, CallId = "25689001", CallTime = CallTime }, default)).IsSuccess,
            new() { ["CheckSubs"] = "false", ["PartnerKey"] = PoolKey, ["CallId"] = "25689001", ["CallTime"] = "2019-03-05 12:00:00" }),
        new("GetSecretAsrDetail", DocumentedBodies.GetSecretAsrDetail, async c => (await c.GetSecretAsrDetailAsync(
            new GetSecretAsrDetailRequest { PoolKey = PoolKey, CallId = "2256251", CallTime = CallTime }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["CallId"] = "2256251", ["CallTime"] = "2019-03-05 12:00:00" }),
        new("QuerySecretNoRemain", DocumentedBodies.QuerySecretNoRemain, async c => (await c.QuerySecretNoRemainAsync(
            new QuerySecretNoRemainRequest { City = "杭州", SpecId = SecretNoSpecs.VirtualOperator, SecretNo = "130" }, default)).IsSuccess,
            new() { ["City"] = "杭州", ["SpecId"] = "1", ["SecretNo"] = "130" }),
        new("BuySecretNo", DocumentedBodies.BuySecretNo, async c => (await c.BuySecretNoAsync(
            new BuySecretNoRequest { City = "全国通用", PoolKey = PoolKey, SpecId = SecretNoSpecs.NinetyFive, SecretNo = "95", DisplayPool = true }, default)).IsSuccess,
            new() { ["City"] = "全国通用", ["PoolKey"] = PoolKey, ["SpecId"] = "3", ["SecretNo"] = "95", ["DisplayPool"] = "true" }),
        new("ReleaseSecretNo", DocumentedBodies.Ok, async c => (await c.ReleaseSecretNoAsync(
            new ReleaseSecretNoRequest { PoolKey = PoolKey, SecretNo = X }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["SecretNo"] = X }),
        new("OperateBlackNo", DocumentedBodies.Ok, async c => (await c.OperateBlackNoAsync(
            new OperateBlackNoRequest { PoolKey = PoolKey, BlackNo = B, OperateType = BlackNoOperations.AddBlack, Tips = "abcdef" }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["BlackNo"] = B, ["OperateType"] = "AddBlack", ["Tips"] = "abcdef" }),
        new("LockSecretNo", DocumentedBodies.Ok, async c => (await c.LockSecretNoAsync(
            new LockSecretNoRequest { PoolKey = PoolKey, SecretNo = X }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["SecretNo"] = X }),
        new("UnlockSecretNo", DocumentedBodies.Ok, async c => (await c.UnlockSecretNoAsync(
            new UnlockSecretNoRequest { PoolKey = PoolKey, SecretNo = X }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["SecretNo"] = X }),
        new("AddSecretBlacklist", DocumentedBodies.Ok, async c => (await c.AddSecretBlacklistAsync(
            new AddSecretBlacklistRequest { PoolKey = PoolKey, BlackNo = $"{A}:{B}", BlackType = BlackTypes.PointToPoint, Remark = "黑名单备注", WayControl = WayControls.PhoneARejects }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["BlackNo"] = $"{A}:{B}", ["BlackType"] = "POINT_TO_POINT_BLACK", ["Remark"] = "黑名单备注", ["WayControl"] = "PHONEA_REJECT" }),
        new("DeleteSecretBlacklist", DocumentedBodies.Ok, async c => (await c.DeleteSecretBlacklistAsync(
            new DeleteSecretBlacklistRequest { PoolKey = PoolKey, BlackNo = A, BlackType = BlackTypes.PartnerGlobalNumber }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["BlackNo"] = A, ["BlackType"] = "PARTNER_GLOBAL_NUMBER_BLACK" }),
        new("QueryPhoneNoAByTrackNo", DocumentedBodies.QueryPhoneNoAByTrackNo, async c => (await c.QueryPhoneNoAByTrackNoAsync(
            new QueryPhoneNoAByTrackNoRequest { TrackNo = "22573001", CabinetNo = "25689001", PhoneNoX = X }, default)).IsSuccess,
            new() { ["trackNo"] = "22573001", ["CabinetNo"] = "25689001", ["PhoneNoX"] = X }),
        new("AddAxnTrackNo", DocumentedBodies.AddAxnTrackNo, async c => (await c.AddAxnTrackNoAsync(
            new AddAxnTrackNoRequest { PoolKey = PoolKey, PhoneNoX = X, TrackNo = "abcde0001", SubsId = SubsId }, default)).IsSuccess,
            new() { ["PoolKey"] = PoolKey, ["PhoneNoX"] = X, ["trackNo"] = "abcde0001", ["SubsId"] = SubsId }),
        new("CreatePickUpWaybill", DocumentedBodies.CreatePickUpWaybill, async c => (await c.CreatePickUpWaybillAsync(
            new CreatePickUpWaybillRequest
            {
                OuterOrderCode = "1432342342660001", OrderChannels = "YUN_DIAN_SHANG", CpCode = "YTO", SendName = "王XX", SendMobile = A, SendPhone = "057188450001",
                SendAddress = new WaybillAddress("陕西省", "西安", "未央区", "XX小区XX号", TownName: "XX街道"),
                ConsigneeName = "张XX", ConsigneeMobile = B,
                ConsigneeAddress = new WaybillAddress("浙江", "杭州", "西湖区", "XX小区XX号"),
                Remark = "易碎物品", GoodsInfos = [new GoodsInfo("鞋子", Weight: 1000, Quantity: 1)],
                AppointGotStartTime = new DateTimeOffset(2021, 1, 1, 2, 0, 0, TimeSpan.Zero), AppointGotEndTime = new DateTimeOffset(2021, 1, 1, 4, 0, 0, TimeSpan.Zero),
                BizType = PickUpBizTypes.Appointment,
            }, default)).IsSuccess,
            new()
            {
                ["OuterOrderCode"] = "1432342342660001", ["OrderChannels"] = "YUN_DIAN_SHANG", ["CpCode"] = "YTO", ["SendName"] = "王XX", ["SendMobile"] = A,
                ["SendPhone"] = "057188450001",
                ["SendAddress"] = """{"ProvinceName":"陕西省","CityName":"西安","AreaName":"未央区","TownName":"XX街道","AddressDetail":"XX小区XX号"}""",
                ["ConsigneeName"] = "张XX", ["ConsigneeMobile"] = B,
                ["ConsigneeAddress"] = """{"ProvinceName":"浙江","CityName":"杭州","AreaName":"西湖区","AddressDetail":"XX小区XX号"}""",
                ["Remark"] = "易碎物品", ["GoodsInfos"] = """[{"Name":"鞋子","Weight":"1000","Quantity":"1"}]""",
                ["AppointGotStartTime"] = "2021-01-01 10:00:00", ["AppointGotEndTime"] = "2021-01-01 12:00:00", ["BizType"] = "1",
            }),
        new("CancelPickUpWaybill", DocumentedBodies.CancelPickUpWaybill, async c => (await c.CancelPickUpWaybillAsync(
            new CancelPickUpWaybillRequest { OuterOrderCode = "11456788230001", CancelDesc = "不想退货了" }, default)).IsSuccess,
            new() { ["OuterOrderCode"] = "11456788230001", ["CancelDesc"] = "不想退货了" }),
        new("CreatePickUpWaybillPreQuery", DocumentedBodies.CreatePickUpWaybillPreQuery, async c => (await c.CreatePickUpWaybillPreQueryAsync(
            new CreatePickUpWaybillPreQueryRequest
            {
                SenderInfo = new PickUpParty("王XX", A, new WaybillAddress("浙江省", "杭州市", "西湖区", "XX小区XX号", TownName: "XX街道")),
                ConsigneeInfo = new PickUpParty("李XX", B),
                CpCode = "YTO", PreWeight = 2000, OuterOrderCode = "787DFHHDS9890001", OrderChannels = "Test",
            }, default)).IsSuccess,
            new()
            {
                ["SenderInfo"] = $$$"""{"Name":"王XX","Mobile":"{{{A}}}","AddressInfo":{"ProvinceName":"浙江省","CityName":"杭州市","AreaName":"西湖区","TownName":"XX街道","AddressDetail":"XX小区XX号"}}""",
                ["ConsigneeInfo"] = $$"""{"Name":"李XX","Mobile":"{{B}}"}""",
                ["CpCode"] = "YTO", ["PreWeight"] = "2000", ["OuterOrderCode"] = "787DFHHDS9890001", ["OrderChannels"] = "Test",
            }),
    }.ToDictionary(c => c.Action, StringComparer.Ordinal);

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Action_SendsExactlyItsWireParameters_SignedForPost_AndReadsTheDocumentedSuccess(string name)
    {
        var c = Cases[name];
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(c.OkBody);

        var succeeded = await c.Call(host.Dyplsapi);

        Assert.True(succeeded);
        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(AliyunTestHost.Endpoint, sent.Uri);
        Assert.Equal(c.Action.Split(' ')[0], sent["Action"]);
        Assert.Equal("2017-05-25", sent["Version"]);
        Assert.Equal(AliyunTestHost.AccessKeyId, sent["AccessKeyId"]);
        Assert.Equal(sent.Pairs.Count, sent.Pairs.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count());
        var business = sent.Pairs.Where(p => !CommonParameters.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal(c.Expected.OrderBy(p => p.Key, StringComparer.Ordinal), business.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.True(PopSigner.Verify("POST", sent.WithoutSignature, AliyunTestHost.AccessKeySecret, sent["Signature"]));
    }

    [Fact]
    public void EveryDyplsapiActionOfTheDigest_HasAWireCase()
    {
        var covered = Cases.Values.Select(c => c.Action.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        var dyplsapi = AliyunActions.All.Values.Where(a => a.Product == AliyunProduct.Dyplsapi).Select(a => a.Name);

        Assert.Equal(28, AliyunActions.All.Values.Count(a => a.Product == AliyunProduct.Dyplsapi));
        Assert.All(dyplsapi, a => Assert.Contains(a, covered));
    }

    [Fact]
    public async Task TrackNo_IsSentLowercase_AndSortsAfterVersionInTheSignedBody()
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(DocumentedBodies.QueryPhoneNoAByTrackNo);

        await host.Dyplsapi.QueryPhoneNoAByTrackNoAsync(new QueryPhoneNoAByTrackNoRequest { TrackNo = "22573001" }, default);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.False(sent.Has("TrackNo"));
        Assert.Equal("trackNo", sent.WithoutSignature[^1].Key);
        Assert.Equal(PopSigner.ToSignedQuery(sent.WithoutSignature, sent["Signature"]), sent.Body);
    }

    [Fact]
    public async Task OptionalParametersLeftNull_AreNotSent()
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(DocumentedBodies.BindAxn);

        await host.Dyplsapi.BindAxnAsync(new BindAxnRequest { PoolKey = PoolKey, PhoneNoA = A, Expiration = Expiry }, default);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal(["Expiration", "PhoneNoA", "PoolKey"], sent.Pairs.Select(p => p.Key).Where(k => !CommonParameters.Contains(k)).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> InvalidRequests => new() { "blank required", "extension without X", "no pool", "no sender phone", "appointment without times", "empty numbers" };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task ARequestMissingARequiredParameter_IsABug_AndNothingIsSent(string which)
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(DocumentedBodies.Ok);
        var c = host.Dyplsapi;
        var address = new WaybillAddress("浙江", "杭州", "西湖区", "XX小区XX号");

        Task call = which switch
        {
            "blank required" => c.BindAxbAsync(new BindAxbRequest { PoolKey = PoolKey, PhoneNoA = A, PhoneNoB = " ", Expiration = Expiry }, default),
            "extension without X" => c.BindAxnExtensionAsync(new BindAxnExtensionRequest { PoolKey = PoolKey, PhoneNoA = A, Expiration = Expiry, Extension = "130" }, default),
            "no pool" => c.UnbindSubscriptionAsync(new UnbindSubscriptionRequest { SubsId = SubsId, SecretNo = X }, default),
            "no sender phone" => c.CreatePickUpWaybillAsync(
                new CreatePickUpWaybillRequest { OuterOrderCode = "1", OrderChannels = "C", SendName = "S", SendAddress = address, ConsigneeName = "R", ConsigneeMobile = B, ConsigneeAddress = address },
                default),
            "appointment without times" => c.CreatePickUpWaybillAsync(
                new CreatePickUpWaybillRequest
                {
                    OuterOrderCode = "1", OrderChannels = "C", SendName = "S", SendMobile = A, SendAddress = address, ConsigneeName = "R", ConsigneeMobile = B,
                    ConsigneeAddress = address, BizType = PickUpBizTypes.Appointment,
                },
                default),
            _ => c.OperateAxgGroupAsync(new OperateAxgGroupRequest { PoolKey = PoolKey, GroupId = 1, OperateType = AxgGroupOperations.AddNumbers, Numbers = [] }, default),
        };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => call);
        Assert.DoesNotContain(A, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(B, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Stub.Calls);
    }

    [Fact]
    public void Requests_PrintTheirActionOnly_NeverAPhoneNumber()
    {
        var request = new BindAxbRequest { PoolKey = PoolKey, PhoneNoA = A, PhoneNoB = B, Expiration = Expiry };
        var party = new PickUpParty("王XX", A);

        Assert.Equal("BindAxb", request.ToString());
        Assert.DoesNotContain(A, party.ToString(), StringComparison.Ordinal);
    }
}
