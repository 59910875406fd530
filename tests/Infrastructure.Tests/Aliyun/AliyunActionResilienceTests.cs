using System.Diagnostics;
using System.Net;
using BindingService.Application.Abstractions;
using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Tests.Aliyun.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Infrastructure.Tests.Aliyun;

/// <summary>
/// Resilience per action: retries only where a repeat cannot create a second thing at the provider, per-action
/// timeouts, client-side rate limits at the documented QPS (docs/provider-rules.md R-QPS-1) with a bounded queue, and one circuit breaker
/// per product.
/// </summary>
public sealed class AliyunActionResilienceTests
{
    private const string PoolKey = "FC123456";
    private static readonly DateTimeOffset At = new(2026, 1, 1, 4, 0, 0, TimeSpan.Zero);

    private static readonly WaybillAddress Address = new("浙江", "杭州", "西湖区", "XX小区XX号");

    /// <summary>A call of each kind of action, with a documented success body, answering whether it succeeded and its error.</summary>
    private static readonly Dictionary<string, (string OkBody, Func<AliyunTestHost, Task<ProviderError?>> Call)> Calls = new(StringComparer.Ordinal)
    {
        ["BindAxn"] = (DocumentedBodies.BindAxn, async h => (await h.Dyplsapi.BindAxnAsync(new BindAxnRequest { PoolKey = PoolKey, PhoneNoA = "13812345678", Expiration = At }, default)).Error),
        ["BindAxg"] = (DocumentedBodies.BindAxg, async h => (await h.Dyplsapi.BindAxgAsync(new BindAxgRequest { PoolKey = PoolKey, PhoneNoA = "13812345678", Expiration = At, GroupId = 1 }, default)).Error),
        ["CreateAxgGroup"] = (DocumentedBodies.CreateAxgGroup, async h => (await h.Dyplsapi.CreateAxgGroupAsync(new CreateAxgGroupRequest { PoolKey = PoolKey }, default)).Error),
        ["BuySecretNo"] = (DocumentedBodies.BuySecretNo, async h => (await h.Dyplsapi.BuySecretNoAsync(new BuySecretNoRequest { City = "杭州", PoolKey = PoolKey, SpecId = 1 }, default)).Error),
        ["AddSecretBlacklist"] = (DocumentedBodies.Ok, async h => (await h.Dyplsapi.AddSecretBlacklistAsync(
            new AddSecretBlacklistRequest { PoolKey = PoolKey, BlackNo = "13812345678", BlackType = BlackTypes.PartnerGlobalNumber }, default)).Error),
        ["CreatePickUpWaybill"] = (DocumentedBodies.CreatePickUpWaybill, async h => (await h.Dyplsapi.CreatePickUpWaybillAsync(
            new CreatePickUpWaybillRequest
            {
                OuterOrderCode = "1", OrderChannels = "C", SendName = "S", SendMobile = "13800000001", SendAddress = Address, ConsigneeName = "R",
                ConsigneeMobile = "13800000002", ConsigneeAddress = Address,
            }, default)).Error),
        ["ConfirmSendSms"] = (DocumentedBodies.ConfirmSendSms, async h => (await h.Dyplsapi.ConfirmSendSmsAsync(new ConfirmSendSmsRequest { PoolKey = PoolKey, SecretNo = "17000000000", CallId = "c" }, default)).Error),
        ["LockSecretNo"] = (DocumentedBodies.Ok, async h => (await h.Dyplsapi.LockSecretNoAsync(new LockSecretNoRequest { PoolKey = PoolKey, SecretNo = "17000000000" }, default)).Error),
        ["OperateAxgGroup"] = (DocumentedBodies.Ok, async h => (await h.Dyplsapi.OperateAxgGroupAsync(
            new OperateAxgGroupRequest { PoolKey = PoolKey, GroupId = 1, OperateType = AxgGroupOperations.OverwriteNumbers, Numbers = ["13800000001"] }, default)).Error),
        ["CancelPickUpWaybill"] = (DocumentedBodies.CancelPickUpWaybill, async h => (await h.Dyplsapi.CancelPickUpWaybillAsync(new CancelPickUpWaybillRequest { OuterOrderCode = "1", CancelDesc = "d" }, default)).Error),
        ["QuerySecretNoDetail"] = (DocumentedBodies.QuerySecretNoDetail, async h => (await h.Dyplsapi.QuerySecretNoDetailAsync(new QuerySecretNoDetailRequest { PoolKey = PoolKey, SecretNo = "17000000000" }, default)).Error),
        ["CreatePickUpWaybillPreQuery"] = (DocumentedBodies.CreatePickUpWaybillPreQuery, async h => (await h.Dyplsapi.CreatePickUpWaybillPreQueryAsync(
            new CreatePickUpWaybillPreQueryRequest { SenderInfo = new PickUpParty("S", "13800000001"), ConsigneeInfo = new PickUpParty("R", "13800000002"), OrderChannels = "Test" }, default)).Error),
        ["PhoneNumberEncrypt"] = (DocumentedBodies.PhoneNumberEncrypt, async h => (await h.Dytnsapi.PhoneNumberEncryptAsync(new PhoneNumberEncryptRequest { AuthCode = "a", InputNumber = "13812345678" }, default)).Error),
    };

    public static TheoryData<string> Creating => new() { "BindAxn", "BindAxg", "CreateAxgGroup", "BuySecretNo", "AddSecretBlacklist", "CreatePickUpWaybill", "ConfirmSendSms" };

    public static TheoryData<string> Repeatable => new() { "LockSecretNo", "OperateAxgGroup", "CancelPickUpWaybill", "QuerySecretNoDetail", "CreatePickUpWaybillPreQuery", "PhoneNumberEncrypt" };

    private static AliyunTestHost WithShortAttemptTimeout() => AliyunTestHost.Create(s => s["Aliyun:RequestTimeout"] = "00:00:00.300");

    [Theory]
    [MemberData(nameof(Creating))]
    public async Task ACreatingAction_IsNotRetriedAfterATimeout_AndReportsTheOutcomeUnknown(string action)
    {
        using var host = WithShortAttemptTimeout();
        host.Stub.ThenHang().ThenJson(Calls[action].OkBody);

        var error = await Calls[action].Call(host);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.Timeout", OutcomeUnknown: true), error);
        Assert.Equal(1, host.Stub.Calls);
    }

    [Theory]
    [MemberData(nameof(Creating))]
    public async Task ACreatingAction_IsRetriedWhenThrottled_OrWhenNoConnectionWasMade(string action)
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.GatewayError("Throttling.User"), HttpStatusCode.BadRequest)
            .ThenThrow(HttpRequestError.ConnectionError)
            .ThenJson(Calls[action].OkBody);

        var error = await Calls[action].Call(host);

        Assert.Null(error);
        Assert.Equal(3, host.Stub.Calls);
    }

    [Theory]
    [MemberData(nameof(Repeatable))]
    public async Task AQueryOrIdempotentAction_IsRetriedAfterATimeout(string action)
    {
        using var host = WithShortAttemptTimeout();
        host.Stub.ThenHang().ThenJson(Calls[action].OkBody);

        var error = await Calls[action].Call(host);

        Assert.Null(error);
        Assert.Equal(2, host.Stub.Calls);
    }

    [Fact]
    public void EveryCreatingAction_IsNotRepeatable_AndEveryOtherActionIs()
    {
        var notRepeatable = new AliyunCallKind[]
        {
            new BindAxbRequest { PoolKey = "p", PhoneNoA = "a", PhoneNoB = "b", Expiration = At }.Kind,
            new BindAxnRequest { PoolKey = "p", PhoneNoA = "a", Expiration = At }.Kind,
            new BindAxnExtensionRequest { PoolKey = "p", PhoneNoA = "a", Expiration = At }.Kind,
            new BindAxgRequest { PoolKey = "p", PhoneNoA = "a", Expiration = At, GroupId = 1 }.Kind,
            new CreateAxgGroupRequest { PoolKey = "p" }.Kind,
            new BuySecretNoRequest { City = "c", PoolKey = "p", SpecId = 1 }.Kind,
            new AddSecretBlacklistRequest { PoolKey = "p", BlackNo = "n", BlackType = "t" }.Kind,
            new ConfirmSendSmsRequest { PoolKey = "p", SecretNo = "x", CallId = "c" }.Kind,
            new CreatePickUpWaybillRequest { OuterOrderCode = "o", OrderChannels = "c", SendName = "s", SendAddress = Address, ConsigneeName = "r", ConsigneeAddress = Address }.Kind,
        };
        var queries = new AliyunCallKind[]
        {
            new QuerySubscriptionDetailRequest { SubsId = "s", PhoneNoX = "x" }.Kind,
            new QuerySubsIdRequest { PoolKey = "p", PhoneNoX = "x" }.Kind,
            new QuerySecretNoDetailRequest { PoolKey = "p", SecretNo = "x" }.Kind,
            new QueryRecordFileDownloadUrlRequest { CallId = "c", CallTime = At }.Kind,
            new GetTotalPublicUrlRequest { CheckSubs = true, PartnerKey = "p", CallId = "c", CallTime = At }.Kind,
            new GetSecretAsrDetailRequest { PoolKey = "p", CallId = "c", CallTime = At }.Kind,
            new QuerySecretNoRemainRequest { City = "c", SpecId = 1 }.Kind,
            new QueryPhoneNoAByTrackNoRequest { TrackNo = "t" }.Kind,
            new CreatePickUpWaybillPreQueryRequest { SenderInfo = new("s", "m"), ConsigneeInfo = new("r", "m"), OrderChannels = "c" }.Kind,
            new PhoneNumberEncryptRequest { AuthCode = "a", InputNumber = "n" }.Kind,
        };
        var idempotent = new AliyunCallKind[]
        {
            new OperateAxgGroupRequest { PoolKey = "p", GroupId = 1, OperateType = "o", Numbers = ["n"] }.Kind,
            new UpdateSubscriptionRequest { SubsId = "s", PhoneNoX = "x", OperateType = "o" }.Kind,
            new UnbindSubscriptionRequest { SubsId = "s", SecretNo = "x" }.Kind,
            new ReleaseSecretNoRequest { PoolKey = "p", SecretNo = "x" }.Kind,
            new OperateBlackNoRequest { PoolKey = "p", BlackNo = "n", OperateType = "o" }.Kind,
            new LockSecretNoRequest { PoolKey = "p", SecretNo = "x" }.Kind,
            new UnlockSecretNoRequest { PoolKey = "p", SecretNo = "x" }.Kind,
            new DeleteSecretBlacklistRequest { PoolKey = "p", BlackNo = "n", BlackType = "t" }.Kind,
            new AddAxnTrackNoRequest { PoolKey = "p", PhoneNoX = "x", TrackNo = "t", SubsId = "s" }.Kind,
            new CancelPickUpWaybillRequest { OuterOrderCode = "o", CancelDesc = "d" }.Kind,
        };

        Assert.Equal(29, notRepeatable.Length + queries.Length + idempotent.Length);
        Assert.All(notRepeatable, k => Assert.Equal(AliyunCallKind.NotRepeatable, k));
        Assert.All(queries, k => Assert.Equal(AliyunCallKind.Query, k));
        Assert.All(idempotent, k => Assert.Equal(AliyunCallKind.Idempotent, k));
    }

    [Fact]
    public async Task AnActionTimeout_OverridesTheDefaultAttemptTimeout()
    {
        using var host = AliyunTestHost.Create(s =>
        {
            s["Aliyun:RequestTimeout"] = "00:00:10";
            s["Aliyun:Resilience:TotalTimeout"] = "00:00:30";
            s["Aliyun:Resilience:MaxRetryAttempts"] = "0";
            s["Aliyun:Actions:QuerySecretNoDetail:Timeout"] = "00:00:00.200";
        });
        host.Stub.ThenHang();
        var watch = Stopwatch.StartNew();

        var error = await Calls["QuerySecretNoDetail"].Call(host);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.Timeout"), error);
        // The action's 200 ms timeout, not the 10 s request timeout, ended it: anything under 5 s tells the two apart
        // with a wide margin for a loaded machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task ABurst_WaitsInTheRateLimitQueue_ThenFailsFastAsThrottled_WhenTheQueueIsFull_WithoutSending()
    {
        using var host = AliyunTestHost.Create(s =>
        {
            s["Aliyun:Resilience:MaxRetryAttempts"] = "2";
            s["Aliyun:Actions:LockSecretNo:Qps"] = "1";
            s["Aliyun:Actions:LockSecretNo:QueueLimit"] = "1";
        });
        using var metrics = new MetricRecorder(host);
        host.Stub.Then((sent, _) => Task.FromResult(StubHandler.Json(sent["Action"] == "QuerySecretNoDetail" ? DocumentedBodies.QuerySecretNoDetail : DocumentedBodies.Ok)));

        var burst = Enumerable.Range(0, 3).Select(_ => Calls["LockSecretNo"].Call(host)).ToList();
        var otherAction = await Calls["QuerySecretNoDetail"].Call(host); // its own partition: not held up by the burst
        var errors = await Task.WhenAll(burst);

        Assert.Null(otherAction);
        Assert.Equal(2, errors.Count(e => e is null));
        Assert.Equal(new ProviderError(ProviderErrorKind.Throttled, "Client.RateLimited"), Assert.Single(errors, e => e is not null));
        Assert.Equal(3, host.Stub.Calls); // two LockSecretNo (one after waiting, none retried) and the query
        var events = metrics.Of(AliyunTelemetry.RateLimiterInstrument);
        Assert.Single(events, e => (string?)e["event"] == "queued" && (string?)e["aliyun.action"] == "LockSecretNo");
        Assert.Single(events, e => (string?)e["event"] == "rejected" && (string?)e["aliyun.action"] == "LockSecretNo");
    }

    [Fact]
    public async Task ABindStillQueuedWhenTheTotalTimeoutEnds_WasNeverSent_SoItsOutcomeIsKnown()
    {
        using var host = AliyunTestHost.Create(s =>
        {
            s["Aliyun:RequestTimeout"] = "00:00:00.200";
            s["Aliyun:Resilience:TotalTimeout"] = "00:00:00.300";
            s["Aliyun:Actions:BindAxn:Qps"] = "1";
            s["Aliyun:Actions:BindAxn:QueueLimit"] = "5";
        });
        host.Stub.ThenJson(DocumentedBodies.BindAxn);

        var first = Calls["BindAxn"].Call(host);
        var second = await Calls["BindAxn"].Call(host);

        Assert.Null(await first);
        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.Timeout", OutcomeUnknown: false), second);
        Assert.Equal(1, host.Stub.Calls);
    }

    [Fact]
    public void ActionsWithADocumentedQps_AreLimitedByDefault_OthersAreNot()
    {
        using var host = AliyunTestHost.Create(s => s["Aliyun:Actions:GetSecretAsrDetail:Qps"] = "0");
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AliyunOptions>>().Value;

        Assert.Equal(5000, options.QpsFor("BindAxb"));
        Assert.Equal(10000, options.QpsFor("UpdateSubscription"));
        Assert.Equal(100, options.QpsFor("CreatePickUpWaybill"));
        Assert.Equal(1000, options.QpsFor("PhoneNumberEncrypt"));
        Assert.Null(options.QpsFor("BindAxn"));
        Assert.Null(options.QpsFor("GetSecretAsrDetail"));
        Assert.Equal(5000, options.QueueLimitFor("BindAxb", 5000));
    }

    [Fact]
    public async Task TheCircuit_OpensPerProduct_FailsFastWithoutSending_AndIsCounted()
    {
        using var host = AliyunTestHost.Create(s =>
        {
            s["Aliyun:Resilience:MaxRetryAttempts"] = "0";
            s["Aliyun:Resilience:CircuitMinimumThroughput"] = "2";
            s["Aliyun:Resilience:CircuitBreakDuration"] = "00:01:00";
        });
        using var metrics = new MetricRecorder(host);
        host.Stub.ThenText("down", HttpStatusCode.BadGateway).ThenText("down", HttpStatusCode.BadGateway).ThenJson(DocumentedBodies.PhoneNumberEncrypt);

        Assert.Equal("Http.502", (await Calls["LockSecretNo"].Call(host))!.Code);
        Assert.Equal("Http.502", (await Calls["QuerySecretNoDetail"].Call(host))!.Code);
        var bind = await Calls["BindAxn"].Call(host);
        var otherProduct = await Calls["PhoneNumberEncrypt"].Call(host);

        Assert.Equal(new ProviderError(ProviderErrorKind.Unavailable, "Client.CircuitOpen", OutcomeUnknown: false), bind);
        Assert.Null(otherProduct);
        Assert.Equal(3, host.Stub.Calls);
        var transition = Assert.Single(metrics.Of(AliyunTelemetry.CircuitInstrument));
        Assert.Equal(("dyplsapi", "opened"), ((string?)transition["aliyun.product"], (string?)transition["state"]));
    }

    [Fact]
    public async Task Calls_AreMeasuredByProductActionAndCode()
    {
        using var host = AliyunTestHost.WithoutRetries();
        using var metrics = new MetricRecorder(host);
        host.Stub.ThenJson(Samples.BusinessError("isv.NO_AVAILABLE_NUMBER")).ThenJson(DocumentedBodies.PhoneNumberEncrypt);

        await Calls["BuySecretNo"].Call(host);
        await Calls["PhoneNumberEncrypt"].Call(host);

        var calls = metrics.Of(AliyunTelemetry.CallsInstrument);
        Assert.Contains(calls, t => (string?)t["aliyun.product"] == "dyplsapi" && (string?)t["aliyun.action"] == "BuySecretNo" && (string?)t["aliyun.code"] == "isv.NO_AVAILABLE_NUMBER" && (string?)t["outcome"] == "failure");
        Assert.Contains(calls, t => (string?)t["aliyun.product"] == "dytnsapi" && (string?)t["aliyun.action"] == "PhoneNumberEncrypt" && (string?)t["aliyun.code"] == "OK" && (string?)t["outcome"] == "success");
        Assert.Equal(2, metrics.Of(AliyunTelemetry.DurationInstrument).Count);
        Assert.DoesNotContain(calls.SelectMany(t => t.Values), v => v is string s && s.Contains("13812345678", StringComparison.Ordinal));
    }
}
