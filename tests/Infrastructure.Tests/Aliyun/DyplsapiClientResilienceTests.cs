using System.Net;
using BindingService.Application.Abstractions;
using BindingService.Infrastructure.Tests.Aliyun.Support;
using BindingService.PopSignature;

namespace BindingService.Infrastructure.Tests.Aliyun;

/// <summary>Retries only where the provider certainly did not apply the request; a breaker for a dead provider.</summary>
public sealed class DyplsapiClientResilienceTests
{
    private static AliyunTestHost WithShortAttemptTimeout() => AliyunTestHost.Create(s => s["Aliyun:RequestTimeout"] = "00:00:00.500");

    [Fact]
    public async Task BindAxb_IsRetriedWhenThrottled_ThenSucceeds_WithAFreshSignaturePerAttempt()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.OnRequest = _ => host.Clock.Advance(TimeSpan.FromSeconds(2));
        host.Stub.ThenJson(Samples.GatewayError("Throttling.User"), HttpStatusCode.BadRequest).ThenJson(Samples.BindAxbOk);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, host.Stub.Calls);
        var (first, second) = (host.Stub.Requests[0], host.Stub.Requests[1]);
        Assert.NotEqual(first["SignatureNonce"], second["SignatureNonce"]);
        Assert.NotEqual(first["Timestamp"], second["Timestamp"]);
        Assert.NotEqual(first["Signature"], second["Signature"]);
        Assert.True(PopSigner.Verify("POST", second.WithoutSignature, AliyunTestHost.AccessKeySecret, second["Signature"]));
        Assert.Equal(first["PhoneNoA"], second["PhoneNoA"]);
    }

    [Theory]
    [InlineData("isv.FLOW_LIMIT", HttpStatusCode.OK)]
    [InlineData("FlowLimited", HttpStatusCode.BadRequest)]
    [InlineData("System.LimitControl", HttpStatusCode.BadRequest)]
    [InlineData("Throttling.Api", HttpStatusCode.BadRequest)]
    public async Task BindAxb_IsRetriedOnEveryThrottlingCode(string code, HttpStatusCode status)
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BusinessError(code), status).ThenJson(Samples.BindAxbOk);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, host.Stub.Calls);
    }

    [Fact]
    public async Task BindAxb_StillThrottledAfterTheLastRetry_IsThrottled()
    {
        using var host = AliyunTestHost.Create(s => s["Aliyun:Resilience:MaxRetryAttempts"] = "2");
        host.Stub.ThenJson(Samples.GatewayError("Throttling.User"), HttpStatusCode.BadRequest);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal(new ProviderError(ProviderErrorKind.Throttled, "Throttling.User"), result.Error);
        Assert.Equal(3, host.Stub.Calls);
    }

    [Fact]
    public async Task BindAxb_IsNotRetriedAfterATimeout_AndReportsTheOutcomeUnknown()
    {
        using var host = WithShortAttemptTimeout();
        host.Stub.ThenHang().ThenJson(Samples.BindAxbOk);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.Timeout", OutcomeUnknown: true), result.Error);
        Assert.Equal(1, host.Stub.Calls);
    }

    [Fact]
    public async Task BindAxb_IsNotRetriedAfterAConnectionLostWhileWaiting_AndReportsTheOutcomeUnknown()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenThrow(HttpRequestError.ResponseEnded).ThenJson(Samples.BindAxbOk);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.ConnectionLost", OutcomeUnknown: true), result.Error);
        Assert.Equal(1, host.Stub.Calls);
    }

    [Fact]
    public async Task BindAxb_IsNotRetriedAfterAnInternalServerError()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.GatewayError("InternalError"), HttpStatusCode.InternalServerError).ThenJson(Samples.BindAxbOk);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "InternalError", OutcomeUnknown: true), result.Error);
        Assert.Equal(1, host.Stub.Calls);
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError)]
    [InlineData(HttpRequestError.NameResolutionError)]
    [InlineData(HttpRequestError.SecureConnectionError)]
    public async Task BindAxb_IsRetriedWhenNoConnectionCouldBeMade(HttpRequestError error)
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenThrow(error).ThenJson(Samples.BindAxbOk);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, host.Stub.Calls);
    }

    [Fact]
    public async Task BindAxb_IsRetriedOnServiceUnavailable()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenText("busy", HttpStatusCode.ServiceUnavailable).ThenJson(Samples.BindAxbOk);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, host.Stub.Calls);
    }

    [Fact]
    public async Task BindAxb_IsNotRetriedOnABusinessRefusal()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BusinessError("isv.BIND_CONFLICT")).ThenJson(Samples.BindAxbOk);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal(ProviderErrorKind.BindConflict, result.Error!.Kind);
        Assert.Equal(1, host.Stub.Calls);
    }

    [Fact]
    public async Task QuerySubscriptionDetail_IsRetriedAfterATimeout()
    {
        using var host = WithShortAttemptTimeout();
        host.Stub.ThenHang().ThenJson(Samples.QueryOk);

        var result = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, host.Stub.Calls);
    }

    [Fact]
    public async Task QuerySubscriptionDetail_TimingOutOnEveryAttempt_IsUnavailable()
    {
        using var host = AliyunTestHost.Create(s =>
        {
            s["Aliyun:RequestTimeout"] = "00:00:00.100";
            s["Aliyun:Resilience:MaxRetryAttempts"] = "1";
        });
        host.Stub.ThenHang();

        var result = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.Timeout", OutcomeUnknown: false), result.Error);
        Assert.Equal(2, host.Stub.Calls);
    }

    [Fact]
    public async Task UnbindSubscription_IsRetriedAfterATimeout()
    {
        using var host = WithShortAttemptTimeout();
        host.Stub.ThenHang().ThenJson(Samples.UnbindOk);

        var result = await host.Provider.UnbindSubscriptionAsync(Samples.Subscription, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, host.Stub.Calls);
    }

    [Fact]
    public async Task UpdateSubscription_IsRetriedAfterAServerError()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.GatewayError("InternalError"), HttpStatusCode.InternalServerError).ThenJson(Samples.UpdateOk);

        var result = await host.Provider.UpdateSubscriptionAsync(new SubscriptionUpdate.ChangeRecording(Samples.Subscription, true), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, host.Stub.Calls);
    }

    [Fact]
    public async Task Circuit_OpensAfterRepeatedFailures_AndThenFailsFastWithoutCallingTheProvider()
    {
        using var host = AliyunTestHost.Create(s =>
        {
            s["Aliyun:Resilience:MaxRetryAttempts"] = "0";
            s["Aliyun:Resilience:CircuitMinimumThroughput"] = "3";
            s["Aliyun:Resilience:CircuitFailureRatio"] = "0.5";
            s["Aliyun:Resilience:CircuitBreakDuration"] = "00:01:00";
        });
        host.Stub.ThenText("down", HttpStatusCode.BadGateway)
            .ThenText("down", HttpStatusCode.BadGateway)
            .ThenText("down", HttpStatusCode.BadGateway)
            .ThenJson(Samples.QueryOk);

        for (var i = 0; i < 3; i++)
        {
            var failed = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);
            Assert.Equal("Http.502", failed.Error!.Code);
        }

        var query = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);
        var bind = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.CircuitOpen"), query.Error);
        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.CircuitOpen", OutcomeUnknown: false), bind.Error);
        Assert.Equal(3, host.Stub.Calls);
    }

    [Fact]
    public async Task Circuit_LetsAProbeThrough_OnceTheBreakHasPassedOnTheInjectedClock()
    {
        using var host = AliyunTestHost.Create(s =>
        {
            s["Aliyun:Resilience:MaxRetryAttempts"] = "0";
            s["Aliyun:Resilience:CircuitMinimumThroughput"] = "2";
            s["Aliyun:Resilience:CircuitBreakDuration"] = "00:01:00";
        });
        host.Stub.ThenText("down", HttpStatusCode.BadGateway).ThenText("down", HttpStatusCode.BadGateway).ThenJson(Samples.QueryOk);
        await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);
        await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);
        var whileOpen = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        host.Clock.Advance(TimeSpan.FromMinutes(1.5));
        var afterBreak = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        Assert.Equal("Client.CircuitOpen", whileOpen.Error!.Code);
        Assert.True(afterBreak.IsSuccess);
        Assert.Equal(3, host.Stub.Calls);
    }

    [Fact]
    public async Task Circuit_StaysClosed_WhenTheProviderOnlyRefusesOrThrottles()
    {
        using var host = AliyunTestHost.Create(s =>
        {
            s["Aliyun:Resilience:MaxRetryAttempts"] = "0";
            s["Aliyun:Resilience:CircuitMinimumThroughput"] = "2";
        });
        host.Stub.ThenJson(Samples.GatewayError("Throttling.User"), HttpStatusCode.BadRequest)
            .ThenJson(Samples.BusinessError("isv.FLOW_LIMIT"))
            .ThenJson(Samples.BusinessError("isv.SUBS_NOT_EXIST"))
            .ThenJson(Samples.QueryOk);

        for (var i = 0; i < 3; i++)
        {
            await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);
        }

        var result = await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(4, host.Stub.Calls);
    }

    [Fact]
    public async Task CallerCancellation_Propagates_AndIsNotRetried()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenHang();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, cancellation.Token));

        Assert.Equal(1, host.Stub.Calls);
    }
}
