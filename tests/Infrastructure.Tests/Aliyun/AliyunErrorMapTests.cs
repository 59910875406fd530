using System.Net;
using BindingService.Application.Abstractions;
using BindingService.Infrastructure.Aliyun;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace BindingService.Infrastructure.Tests.Aliyun;

/// <summary>The mapping table, code family by code family.</summary>
public sealed class AliyunErrorMapTests
{
    [Theory]
    [InlineData("isv.NO_AVAILABLE_NUMBER", ProviderErrorKind.NoNumberAvailable)]
    [InlineData("isv.BIND_CONFLICT", ProviderErrorKind.BindConflict)]
    [InlineData("isv.SUBS_NOT_EXIST", ProviderErrorKind.SubscriptionNotFound)]
    [InlineData("isv.EXPIRE_DATE_ILLEGAL", ProviderErrorKind.ExpiryIllegal)]
    [InlineData("isv.MOBILE_NUMBER_ILLEGAL", ProviderErrorKind.PhoneNumberIllegal)]
    [InlineData("isv.INVALID_PARAMETERS", ProviderErrorKind.InvalidRequest)]
    [InlineData("isv.ILLEGAL_ARGUMENT", ProviderErrorKind.InvalidRequest)]
    [InlineData("MissingPoolKey", ProviderErrorKind.InvalidRequest)]
    [InlineData("MissingSubsId", ProviderErrorKind.InvalidRequest)]
    [InlineData("InvalidParameter", ProviderErrorKind.InvalidRequest)]
    [InlineData("InvalidParameter.Format", ProviderErrorKind.InvalidRequest)]
    [InlineData("isv.FORBIDDEN_ACTION", ProviderErrorKind.Forbidden)]
    [InlineData("isv.NO_NOT_EXIST", ProviderErrorKind.Forbidden)]
    [InlineData("isv.POOLKEY_NOT_EXISTS", ProviderErrorKind.PoolNotFound)]
    [InlineData("Throttling.User", ProviderErrorKind.Throttled)]
    [InlineData("Throttling.Api", ProviderErrorKind.Throttled)]
    [InlineData("isv.FLOW_LIMIT", ProviderErrorKind.Throttled)]
    [InlineData("FlowLimited", ProviderErrorKind.Throttled)]
    [InlineData("System.LimitControl", ProviderErrorKind.Throttled)]
    [InlineData("isp.SYSTEM_ERROR", ProviderErrorKind.Unavailable)]
    [InlineData("isp.DAO_EXCEPTION", ProviderErrorKind.Unavailable)]
    [InlineData("isp.GATEWAY_ERROR", ProviderErrorKind.Unavailable)]
    [InlineData("InternalError", ProviderErrorKind.Unavailable)]
    [InlineData("RequestTimeout", ProviderErrorKind.Unavailable)]
    [InlineData("SignatureDoesNotMatch", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("InvalidAccessKeyId.NotFound", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("InvalidAccessKeyId.Inactive", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("InvalidTimeStamp.Format", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("InvalidTimeStamp.Expired", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("SignatureNonceUsed", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("isp.RAM_PERMISSION_DENIED", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("isp.RAM_PERMISSION_DENY", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("RamPermissionDenied", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("Permission.NotAuthorized", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("Ram.PermissionDeny", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("isv.OUT_OF_SERVICE", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("AuthCodeIllegal", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("Product.Unsubscript", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("PoolKeyNotFound", ProviderErrorKind.PoolNotFound)]
    [InlineData("ProductUnsubscribe", ProviderErrorKind.PoolNotFound)]
    [InlineData("isv.PRODUCT_UNSUBSCRIBE", ProviderErrorKind.AuthenticationFailed)]
    [InlineData("SmsContentIllegal", ProviderErrorKind.Forbidden)]
    [InlineData("InvalidJsonParam", ProviderErrorKind.InvalidRequest)]
    [InlineData("InvalidApi.NotFound", ProviderErrorKind.Unknown)]
    [InlineData("isv.no_available_number", ProviderErrorKind.Unknown)]
    [InlineData("SomethingNew", ProviderErrorKind.Unknown)]
    public void Classify_MapsEachCodeFamily_ToItsKind(string code, ProviderErrorKind expected)
    {
        Assert.Equal(expected, AliyunErrorMap.Classify(code));
    }

    [Fact]
    public void Classify_TreatsAnUnknownCodeOnAServerError_AsUnavailable()
    {
        Assert.Equal((ProviderErrorKind.Unavailable, "SomethingNew"), AliyunErrorMap.Classify(HttpStatusCode.BadGateway, "SomethingNew"));
        Assert.Equal((ProviderErrorKind.Unknown, "SomethingNew"), AliyunErrorMap.Classify(HttpStatusCode.BadRequest, "SomethingNew"));
    }

    [Fact]
    public void TryFromException_TreatsATimeoutOfABind_AsUnavailableWithUnknownOutcome()
    {
        Assert.True(AliyunErrorMap.TryFromException(new TimeoutRejectedException(), mutating: true, out var error));
        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.Timeout", OutcomeUnknown: true), error);
    }

    [Fact]
    public void TryFromException_TreatsARefusedConnection_AsUnavailableAndNotApplied()
    {
        Assert.True(AliyunErrorMap.TryFromException(new HttpRequestException(HttpRequestError.ConnectionError), mutating: true, out var error));
        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.ConnectionFailed", OutcomeUnknown: false), error);
    }

    [Fact]
    public void TryFromException_TreatsAConnectionLostAfterSending_AsUnavailableWithUnknownOutcome()
    {
        Assert.True(AliyunErrorMap.TryFromException(new HttpRequestException(HttpRequestError.ResponseEnded), mutating: true, out var error));
        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.ConnectionLost", OutcomeUnknown: true), error);
    }

    [Fact]
    public void TryFromException_TreatsAnOpenCircuit_AsUnavailableAndNotApplied()
    {
        Assert.True(AliyunErrorMap.TryFromException(new BrokenCircuitException(), mutating: true, out var error));
        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.CircuitOpen", OutcomeUnknown: false), error);
    }

    [Fact]
    public void TryFromException_LetsBugsPropagate()
    {
        Assert.False(AliyunErrorMap.TryFromException(new InvalidOperationException(), mutating: true, out _));
    }
}
