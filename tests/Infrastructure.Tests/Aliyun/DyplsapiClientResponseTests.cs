using System.Net;
using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Tests.Aliyun.Support;

namespace BindingService.Infrastructure.Tests.Aliyun;

/// <summary>Reading the provider's answers: the documents' example bodies, leniently typed fields, and failures.</summary>
public sealed class DyplsapiClientResponseTests
{
    private static readonly SubscriptionDetail DocumentedDetail = new(
        SubsId: "100000076879****",
        SecretNo: "13900001234",
        PartyA: PhoneNumber.Parse("13900001111"),
        PartyB: PhoneNumber.Parse("13900002222"),
        InEffect: true,
        ExpiresAt: new DateTimeOffset(2019, 9, 5, 4, 0, 0, TimeSpan.Zero),
        CreatedAt: new DateTimeOffset(2019, 3, 5, 4, 0, 0, TimeSpan.Zero),
        RecordingEnabled: true,
        CallRestriction: CallRestriction.PartyBCannotCall,
        Extension: "130",
        GroupId: 2000000130001);

    [Fact]
    public async Task BindAxb_ReadsTheSubscriptionAndVirtualNumber_FromTheDocumentedBody()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BindAxbOk);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(new ProviderBinding("10000007683*****", "170****0000", Extension: null), result.Value);
    }

    [Fact]
    public async Task BindAxb_ReadsIdsSentAsBareNumbers()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson("""{"SecretBindDTO":{"SecretNo":17000000000,"SubsId":1000000768798832},"RequestId":"R","Code":"OK"}""");

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal(new ProviderBinding("1000000768798832", "17000000000", null), result.Value);
    }

    [Fact]
    public async Task QuerySubscriptionDetail_ReadsTheDocumentedBody_InUtc()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.QueryOk);

        var result = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        Assert.Equal(DocumentedDetail, result.Value);
        Assert.Equal(TimeSpan.Zero, result.Value!.ExpiresAt!.Value.Offset);
    }

    [Fact]
    public async Task QuerySubscriptionDetail_ReadsStringFieldsPrintedAsBareNumbers()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.QueryOkWithBareNumbers);

        var result = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        Assert.Equal(DocumentedDetail, result.Value);
    }

    [Fact]
    public async Task QuerySubscriptionDetail_ReadsNumbersAndBooleansSentAsStrings()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(
            """
            {"Code":"OK","RequestId":"R","SecretBindDetailDTO":{"Status":"1","Extension":"130","PhoneNoB":"13900002222","GroupId":"2000000130001",
             "NeedRecord":"True","ASRStatus":"true","GmtCreate":"2019-03-05 12:00:00","ExpireDate":"2019-09-05 12:00:00","SubsId":"100000076879****",
             "PhoneNoX":"13900001234","CallRestrict":"CONTROL_BX_DISABLE ","ASRModelId":"123456","PhoneNoA":"13900001111"}}
            """);

        var result = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        Assert.Equal(DocumentedDetail, result.Value);
    }

    [Fact]
    public async Task QuerySubscriptionDetail_ReportsAnExpiredBinding_WithoutRestrictionOrReadableNumbers()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(
            """
            {"Code":"OK","RequestId":"R","SecretBindDetailDTO":{"Status":0,"PhoneNoA":"139****1111","PhoneNoB":"","NeedRecord":false,
             "ExpireDate":"not a date"}}
            """);

        var result = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        var detail = result.Value!;
        Assert.False(detail.InEffect);
        Assert.Null(detail.PartyA);
        Assert.Null(detail.PartyB);
        Assert.Null(detail.ExpiresAt);
        Assert.Null(detail.CreatedAt);
        Assert.Null(detail.GroupId);
        Assert.Null(detail.Extension);
        Assert.False(detail.RecordingEnabled);
        Assert.Equal(CallRestriction.None, detail.CallRestriction);
        Assert.Equal(Samples.Subscription.SubsId, detail.SubsId);
        Assert.Equal(Samples.Subscription.SecretNo, detail.SecretNo);
    }

    [Theory]
    [InlineData(Samples.UnbindOk)]
    [InlineData("""{"Message":"OK","RequestId":"9B2757F9","ChargeId":"true","Code":"OK"}""")]
    [InlineData("""{"RequestId":"9B2757F9","Code":"OK"}""")]
    public async Task UnbindSubscription_Succeeds_WhateverTheDeprecatedChargeIdLooksLike(string body)
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(body);

        var result = await host.Provider.UnbindSubscriptionAsync(Samples.Subscription, CancellationToken.None);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task UpdateSubscription_Succeeds_OnTheDocumentedBody()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.UpdateOk);

        var result = await host.Provider.UpdateSubscriptionAsync(
            new SubscriptionUpdate.ChangeOutId(Samples.Subscription, "b-43"), CancellationToken.None);

        Assert.True(result.IsSuccess);
    }

    [Theory]
    [InlineData("isv.NO_AVAILABLE_NUMBER", ProviderErrorKind.NoNumberAvailable)]
    [InlineData("isv.BIND_CONFLICT", ProviderErrorKind.BindConflict)]
    [InlineData("isv.SUBS_NOT_EXIST", ProviderErrorKind.SubscriptionNotFound)]
    [InlineData("isv.EXPIRE_DATE_ILLEGAL", ProviderErrorKind.ExpiryIllegal)]
    [InlineData("isv.MOBILE_NUMBER_ILLEGAL", ProviderErrorKind.PhoneNumberIllegal)]
    [InlineData("isv.INVALID_PARAMETERS", ProviderErrorKind.InvalidRequest)]
    [InlineData("isv.ILLEGAL_ARGUMENT", ProviderErrorKind.InvalidRequest)]
    [InlineData("isv.FORBIDDEN_ACTION", ProviderErrorKind.Forbidden)]
    [InlineData("isv.NO_NOT_EXIST", ProviderErrorKind.Forbidden)]
    [InlineData("isv.POOLKEY_NOT_EXISTS", ProviderErrorKind.PoolNotFound)]
    [InlineData("isv.FLOW_LIMIT", ProviderErrorKind.Throttled)]
    [InlineData("isp.SYSTEM_ERROR", ProviderErrorKind.Unavailable)]
    [InlineData("isp.RAM_PERMISSION_DENY", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("isv.OUT_OF_SERVICE", ProviderErrorKind.AuthenticationFailed)]
    public async Task BindAxb_MapsABusinessErrorCode_ToItsKind_WithoutTheProviderMessage(string code, ProviderErrorKind kind)
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(Samples.BusinessError(code));

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(new ProviderError(kind, code, OutcomeUnknown: false), result.Error);
        Assert.DoesNotContain("must not leak", result.Error!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "SignatureDoesNotMatch", ProviderErrorKind.AuthenticationFailed)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidTimeStamp.Expired", ProviderErrorKind.AuthenticationFailed)]
    [InlineData(HttpStatusCode.BadRequest, "SignatureNonceUsed", ProviderErrorKind.AuthenticationFailed)]
    [InlineData(HttpStatusCode.NotFound, "InvalidAccessKeyId.NotFound", ProviderErrorKind.AuthenticationFailed)]
    [InlineData(HttpStatusCode.Forbidden, "Permission.NotAuthorized", ProviderErrorKind.AuthenticationFailed)]
    [InlineData(HttpStatusCode.BadRequest, "MissingPoolKey", ProviderErrorKind.InvalidRequest)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidParameter.Format", ProviderErrorKind.InvalidRequest)]
    [InlineData(HttpStatusCode.NotFound, "InvalidApi.NotFound", ProviderErrorKind.Unknown)]
    [InlineData(HttpStatusCode.BadRequest, "Throttling.User", ProviderErrorKind.Throttled)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", ProviderErrorKind.Unavailable)]
    [InlineData(HttpStatusCode.InternalServerError, "RequestSupplierError", ProviderErrorKind.Unavailable)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", ProviderErrorKind.Unavailable)]
    public async Task QuerySubscriptionDetail_MapsAGatewayErrorBody_ToItsKind(HttpStatusCode status, string code, ProviderErrorKind kind)
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(Samples.GatewayError(code), status);

        var result = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        Assert.Equal(new ProviderError(kind, code, OutcomeUnknown: false), result.Error);
    }

    [Fact]
    public async Task BindAxb_GatewayServerError_LeavesTheOutcomeUnknown()
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(Samples.GatewayError("InternalError"), HttpStatusCode.InternalServerError);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "InternalError", OutcomeUnknown: true), result.Error);
    }

    [Fact]
    public async Task BindAxb_ServiceUnavailable_IsDefinitelyNotApplied()
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenText("<html>busy</html>", HttpStatusCode.ServiceUnavailable);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Http.503", OutcomeUnknown: false), result.Error);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, ProviderErrorKind.Unavailable, "Http.502")]
    [InlineData(HttpStatusCode.GatewayTimeout, ProviderErrorKind.Unavailable, "Http.504")]
    [InlineData(HttpStatusCode.TooManyRequests, ProviderErrorKind.Throttled, "Http.429")]
    [InlineData(HttpStatusCode.NotFound, ProviderErrorKind.Unknown, "Http.404")]
    public async Task QuerySubscriptionDetail_MapsANonJsonErrorPage_ByItsStatus(HttpStatusCode status, ProviderErrorKind kind, string code)
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenText("<html>proxy error</html>", status);

        var result = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        Assert.Equal(new ProviderError(kind, code, OutcomeUnknown: false), result.Error);
    }

    [Theory]
    [InlineData("<html>ok?</html>")]
    [InlineData("")]
    [InlineData("""{"RequestId":"R"}""")]
    [InlineData("""{"RequestId":"R","Code":"OK"}""")]
    [InlineData("""{"RequestId":"R","Code":"OK","SecretBindDTO":{"SubsId":"","SecretNo":"17000000000"}}""")]
    public async Task BindAxb_UnreadableSuccess_IsUnknown_WithTheOutcomeUnknown(string body)
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenText(body, HttpStatusCode.OK);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unknown, "Client.MalformedResponse", OutcomeUnknown: true), result.Error);
    }

    [Fact]
    public async Task QuerySubscriptionDetail_OkWithoutDetail_IsUnknown_WithoutAnOutcomeToSettle()
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson("""{"RequestId":"R","Code":"OK"}""");

        var result = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unknown, "Client.MalformedResponse", OutcomeUnknown: false), result.Error);
    }
}
