using System.Globalization;
using BindingService.AliyunSimulator.Control;
using BindingService.Application.Abstractions;
using BindingService.Contract.Tests.Support;
using BindingService.Infrastructure.Aliyun;

namespace BindingService.Contract.Tests.Contract;

/// <summary>
/// What a call leaves behind (docs/provider-rules.md R-REC-1..4, R-SMS-1) through our client against the simulator.
/// No API creates call records, so each test seeds its own through <c>POST /_sim/calls</c>.
/// </summary>
public sealed class CallsContractTests(ContractSimulator sim) : IClassFixture<ContractSimulator>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    [Contract("ConfirmSendSms", ContractCheck.Success)]
    public async Task ConfirmSendSms_ReleasesTheHeldSms()
    {
        var (subsId, x, a, b) = await sim.BindAxbAsync();
        var call = await sim.Control.RecordCallAsync(new CallSeed(SubsId: subsId, CallTime: CallTimeText(), Caller: a, Callee: b, Sms: new SmsSeed("您好")));

        var confirmed = ProviderAssert.Succeeds(await sim.Dyplsapi.ConfirmSendSmsAsync(
            new ConfirmSendSmsRequest { PoolKey = SimulatorProcess.AxbPool, SecretNo = x, CallId = call.CallId }, None));

        // R-SMS-1: Data is the string "true" (R-FMT-4), read as a boolean.
        Assert.Equal("OK", confirmed.Code);
        Assert.True(confirmed.Data);
        Assert.True((await sim.Control.CallsAsync()).Single(c => c.CallId == call.CallId).Sms!.Confirmed);
    }

    [Fact]
    [Contract("ConfirmSendSms", ContractCheck.Error)]
    public async Task ConfirmSendSms_OfAnSmsAlreadySent_IsForbidden()
    {
        var (subsId, x, _, _) = await sim.BindAxbAsync();
        var call = await sim.Control.RecordCallAsync(new CallSeed(SubsId: subsId, CallTime: CallTimeText(), Sms: new SmsSeed("您好")));
        var confirm = new ConfirmSendSmsRequest { PoolKey = SimulatorProcess.AxbPool, SecretNo = x, CallId = call.CallId };
        ProviderAssert.Succeeds(await sim.Dyplsapi.ConfirmSendSmsAsync(confirm, None));

        // R-SMS-1: the held SMS is released once.
        ProviderAssert.Fails(await sim.Dyplsapi.ConfirmSendSmsAsync(confirm, None), "isv.FORBIDDEN_ACTION", ProviderErrorKind.Forbidden);
    }

    [Fact]
    [Contract("ConfirmSendSms", ContractCheck.Error)]
    public async Task ConfirmSendSms_InAnUnknownPool_IsPoolNotFound()
    {
        var result = await sim.Dyplsapi.ConfirmSendSmsAsync(new ConfirmSendSmsRequest { PoolKey = "FC999999999999999", SecretNo = "17000000001", CallId = "1" }, None);

        // R-SMS-1, docs/provider-rules.md R-ERR-1: PoolKeyNotFound (the pool does not exist) is a misconfigured pool.
        ProviderAssert.Fails(result, "PoolKeyNotFound", ProviderErrorKind.PoolNotFound);
    }

    [Fact]
    [Contract("QueryRecordFileDownloadUrl", ContractCheck.Success)]
    public async Task QueryRecordFileDownloadUrl_GivesAnHttpsUrlValidForTwoHours()
    {
        var (subsId, _, _, _) = await sim.BindAxbAsync(recording: true);
        var call = await sim.Control.RecordCallAsync(new CallSeed(SubsId: subsId, CallTime: CallTimeText(), Recording: true));

        var answer = ProviderAssert.Succeeds(await sim.Dyplsapi.QueryRecordFileDownloadUrlAsync(
            new QueryRecordFileDownloadUrlRequest { PoolKey = SimulatorProcess.AxbPool, CallId = call.CallId, CallTime = call.CallTime }, None));

        // R-REC-2: a signed URL whose Expires is about two hours ahead.
        Assert.Equal("OK", answer.Code);
        var url = AssertRecordingUrl(answer.DownloadUrl);
        Assert.Contains(call.CallId, url.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    [Contract("QueryRecordFileDownloadUrl", ContractCheck.Error)]
    public async Task QueryRecordFileDownloadUrl_WithAnotherCallTime_IsAnIllegalArgument()
    {
        var (subsId, _, _, _) = await sim.BindAxbAsync(recording: true);
        var call = await sim.Control.RecordCallAsync(new CallSeed(SubsId: subsId, CallTime: CallTimeText(), Recording: true));

        // The call is identified by CallId and CallTime (R-REC-2); one hour off matches no call.
        var result = await sim.Dyplsapi.QueryRecordFileDownloadUrlAsync(
            new QueryRecordFileDownloadUrlRequest { PoolKey = SimulatorProcess.AxbPool, CallId = call.CallId, CallTime = call.CallTime.AddHours(-1) }, None);

        ProviderAssert.Fails(result, "isv.ILLEGAL_ARGUMENT", ProviderErrorKind.InvalidRequest);
    }

    [Fact]
    [Contract("GetTotalPublicUrl", ContractCheck.Success)]
    public async Task GetTotalPublicUrl_GivesTheRingAndTheCallRecordingsUrls()
    {
        var (subsId, _, _, _) = await sim.BindAxbAsync(recording: true);
        var call = await sim.Control.RecordCallAsync(new CallSeed(SubsId: subsId, CallTime: CallTimeText(), Recording: true, RingRecording: true));

        var answer = ProviderAssert.Succeeds(await sim.Dyplsapi.GetTotalPublicUrlAsync(
            new GetTotalPublicUrlRequest { CheckSubs = true, PartnerKey = SimulatorProcess.AxbPool, CallId = call.CallId, CallTime = call.CallTime }, None));

        // R-REC-3: Data{RingPublicUrl, PhonePublicUrl}, two different recordings.
        var data = Assert.IsType<PublicUrlDto>(answer.Data);
        var ring = AssertRecordingUrl(data.RingPublicUrl);
        var phone = AssertRecordingUrl(data.PhonePublicUrl);
        Assert.NotEqual(ring.AbsolutePath, phone.AbsolutePath);
    }

    [Fact]
    [Contract("GetTotalPublicUrl", ContractCheck.Error)]
    public async Task GetTotalPublicUrl_CheckingAnUnboundBinding_IsSubsNotExist()
    {
        var (subsId, x, _, _) = await sim.BindAxbAsync(recording: true);
        var call = await sim.Control.RecordCallAsync(new CallSeed(SubsId: subsId, CallTime: CallTimeText(), Recording: true));
        ProviderAssert.Succeeds(await sim.Dyplsapi.UnbindSubscriptionAsync(new UnbindSubscriptionRequest { PoolKey = SimulatorProcess.AxbPool, SubsId = subsId, SecretNo = x }, None));

        // CheckSubs=true verifies the call's binding (R-REC-3).
        var result = await sim.Dyplsapi.GetTotalPublicUrlAsync(
            new GetTotalPublicUrlRequest { CheckSubs = true, PartnerKey = SimulatorProcess.AxbPool, CallId = call.CallId, CallTime = call.CallTime }, None);

        ProviderAssert.Fails(result, "isv.SUBS_NOT_EXIST", ProviderErrorKind.SubscriptionNotFound);
    }

    [Fact]
    [Contract("GetSecretAsrDetail", ContractCheck.Success)]
    public async Task GetSecretAsrDetail_GivesTheRecognisedSentences()
    {
        var (subsId, _, _, _) = await sim.BindAxbAsync(asr: true);
        var asr = new AsrSeed(10944, [new AsrSentenceSeed("您好", BeginTime: 1020, EndTime: 1770, SilenceDuration: 0, ChannelId: 0, SpeechRate: 80, EmotionValue: "5.7")]);
        var call = await sim.Control.RecordCallAsync(new CallSeed(SubsId: subsId, CallTime: CallTimeText(), Asr: asr));

        var answer = ProviderAssert.Succeeds(await sim.Dyplsapi.GetSecretAsrDetailAsync(
            new GetSecretAsrDetailRequest { PoolKey = SimulatorProcess.AxbPool, CallId = call.CallId, CallTime = call.CallTime }, None));

        // R-REC-4: Data.Code 21050000 is success; Data.RequestId is the engine's, not the API's (T64).
        var data = Assert.IsType<SecretAsrDetailDto>(answer.Data);
        Assert.Equal(("21050000", "asrResult", 10944L), (data.Code, data.Type, data.BizDuration));
        Assert.False(string.IsNullOrWhiteSpace(data.RequestId));
        Assert.NotEqual(answer.RequestId, data.RequestId);
        Assert.False(string.IsNullOrWhiteSpace(data.BusinessKey));
        Assert.Contains("@!" + SimulatorProcess.AxbPool + "@!", data.BusinessId, StringComparison.Ordinal);
        var sentence = Assert.Single(data.Sentences!);
        Assert.Equal(
            ("您好", 1020L, 1770L, 0L, 0L, 80L, "5.7"),
            (sentence.Text, sentence.BeginTime, sentence.EndTime, sentence.SilenceDuration, sentence.ChannelId, sentence.SpeechRate, sentence.EmotionValue));
    }

    [Fact]
    [Contract("GetSecretAsrDetail", ContractCheck.Error)]
    public async Task GetSecretAsrDetail_OfACallWithoutAsr_IsForbidden()
    {
        var (subsId, _, _, _) = await sim.BindAxbAsync(recording: true);
        var call = await sim.Control.RecordCallAsync(new CallSeed(SubsId: subsId, CallTime: CallTimeText(), Recording: true));

        // R-REC-4: ASR results exist only for bindings with ASRStatus on.
        var result = await sim.Dyplsapi.GetSecretAsrDetailAsync(
            new GetSecretAsrDetailRequest { PoolKey = SimulatorProcess.AxbPool, CallId = call.CallId, CallTime = call.CallTime }, None);

        ProviderAssert.Fails(result, "isv.FORBIDDEN_ACTION", ProviderErrorKind.Forbidden);
    }

    /// <summary>A call five minutes ago, China time to the second, as the documents' CallTime is written.</summary>
    private static string CallTimeText() => ChinaTimes.Text(ChinaTimes.InHours(-5.0 / 60));

    /// <summary>An https recording URL with a Unix <c>Expires</c> about two hours ahead (R-REC-2).</summary>
    private static Uri AssertRecordingUrl(string? text)
    {
        Assert.True(Uri.TryCreate(text, UriKind.Absolute, out var url), "Not an absolute URL.");
        Assert.Equal(Uri.UriSchemeHttps, url!.Scheme);
        Assert.EndsWith(".mp3", url.AbsolutePath, StringComparison.Ordinal);
        var query = url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty);
        Assert.True(query.ContainsKey("OSSAccessKeyId") && query.ContainsKey("Signature"), "The URL is not signed.");
        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(query["Expires"], CultureInfo.InvariantCulture));
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddMinutes(115), DateTimeOffset.UtcNow.AddMinutes(125));
        return url;
    }
}
