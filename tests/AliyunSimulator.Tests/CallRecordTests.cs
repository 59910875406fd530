using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using BindingService.AliyunSimulator.Tests.Support;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>
/// Call records seeded through <c>POST /_sim/calls</c>, and the actions that read them: ConfirmSendSms,
/// QueryRecordFileDownloadUrl, GetTotalPublicUrl and GetSecretAsrDetail (docs/provider-rules.md R-SMS-1, R-REC-1..4).
/// </summary>
public sealed class CallRecordTests
{
    private const string Pool = RunningSimulator.PoolKey;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Seed(RunningSimulator sim, object call)
    {
        using var response = await sim.Http.PostAsJsonAsync("/_sim/calls", call);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<string> SeedOk(RunningSimulator sim, object call)
    {
        var (status, body) = await Seed(sim, call);
        Assert.True(status == HttpStatusCode.Created, $"seeding failed: {(int)status} {body}");
        return body.GetProperty("callId").GetString()!;
    }

    private static Task<PopResponse> DownloadUrl(RunningSimulator sim, string callId, string callTime, string poolKey = Pool) =>
        sim.Pop.PostAsync("QueryRecordFileDownloadUrl", ("PoolKey", poolKey), ("CallId", callId), ("CallTime", callTime));

    private static Task<PopResponse> TotalUrl(RunningSimulator sim, string callId, string callTime, string checkSubs = "false") =>
        sim.Pop.PostAsync("GetTotalPublicUrl", ("CheckSubs", checkSubs), ("PartnerKey", Pool), ("CallId", callId), ("CallTime", callTime));

    private static Task<PopResponse> Asr(RunningSimulator sim, string callId, string callTime) =>
        sim.Pop.PostAsync("GetSecretAsrDetail", ("CallId", callId), ("CallTime", callTime), ("PoolKey", Pool));

    private static Task<PopResponse> Confirm(RunningSimulator sim, string secretNo, string callId, string poolKey = Pool) =>
        sim.Pop.PostAsync("ConfirmSendSms", ("PoolKey", poolKey), ("SecretNo", secretNo), ("CallId", callId));

    private static long ExpiresOf(string url) =>
        long.Parse(HttpUtility.ParseQueryString(new Uri(url).Query)["Expires"]!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task QueryRecordFileDownloadUrl_AnswersAnHttpsUrlThatExpiresInTwoHours()
    {
        // R-REC-2.
        await using var sim = await RunningSimulator.StartAsync();
        var (subsId, _) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("IsRecordingEnabled", "true"));
        var callTime = sim.ChinaTime(TimeSpan.FromMinutes(-10));
        var callId = await SeedOk(sim, new { subsId, callTime, recording = true });

        var response = await DownloadUrl(sim, callId, callTime);

        Assert.Equal("OK", response.Code);
        var url = new Uri(response.Field("DownloadUrl").GetString()!);
        Assert.Equal("https", url.Scheme);
        Assert.EndsWith(".mp3", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains(callId, url.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(sim.Clock.GetUtcNow().AddHours(2).ToUnixTimeSeconds(), ExpiresOf(url.ToString()));
        Assert.Contains("Signature=", url.Query, StringComparison.Ordinal);

        var legacy = await sim.Pop.PostAsync("QueryRecordFileDownloadUrl", ("ProductType", "AXB_170"), ("CallId", callId), ("CallTime", callTime));
        Assert.Equal("OK", legacy.Code);
        var other = await sim.Pop.PostAsync("QueryRecordFileDownloadUrl", ("ProductType", "AXN_170"), ("CallId", callId), ("CallTime", callTime));
        Assert.Equal("isv.ILLEGAL_ARGUMENT", other.Code);
    }

    [Fact]
    public async Task QueryRecordFileDownloadUrl_KeepsRecordingsFor14Days()
    {
        // R-REC-2: only recordings of calls within the last 14 days.
        await using var sim = await RunningSimulator.StartAsync();
        var (subsId, _) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("IsRecordingEnabled", "true"));
        var callTime = sim.ChinaTime(TimeSpan.Zero);
        var callId = await SeedOk(sim, new { subsId, callTime, recording = true });

        sim.Clock.Advance(TimeSpan.FromDays(14));
        Assert.Equal("OK", (await DownloadUrl(sim, callId, callTime)).Code);

        sim.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("isv.FORBIDDEN_ACTION", (await DownloadUrl(sim, callId, callTime)).Code);
    }

    [Fact]
    public async Task QueryRecordFileDownloadUrl_RefusesUnknownCalls_CallsWithoutRecording_AndAMissingPool()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (subsId, _) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());
        var callTime = sim.ChinaTime(TimeSpan.Zero);
        var callId = await SeedOk(sim, new { subsId, callTime });

        Assert.Equal("isv.FORBIDDEN_ACTION", (await DownloadUrl(sim, callId, callTime)).Code);
        Assert.Equal("isv.ILLEGAL_ARGUMENT", (await DownloadUrl(sim, callId, sim.ChinaTime(TimeSpan.FromSeconds(1)))).Code);
        Assert.Equal("isv.ILLEGAL_ARGUMENT", (await DownloadUrl(sim, "nope", callTime)).Code);
        Assert.Equal("isv.INVALID_PARAMETERS", (await DownloadUrl(sim, callId, "2026-03-01T10:00:00")).Code);
        var missing = await sim.Pop.PostAsync("QueryRecordFileDownloadUrl", ("CallId", callId), ("CallTime", callTime));
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("MissingPoolKey", missing.Code);
    }

    [Fact]
    public async Task ARecording_CannotBeSeeded_ForABindingThatDoesNotRecord()
    {
        // R-REC-1: only bindings with IsRecordingEnabled=true are recorded.
        await using var sim = await RunningSimulator.StartAsync();
        var (subsId, _) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());

        var (status, _) = await Seed(sim, new { subsId, recording = true });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Empty((await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/calls")).EnumerateArray());
    }

    [Fact]
    public async Task GetTotalPublicUrl_AnswersTheRingAndCallRecordings_UnderPartnerKey()
    {
        // R-REC-3.
        await using var sim = await RunningSimulator.StartAsync();
        var (subsId, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("IsRecordingEnabled", "true"));
        var callTime = sim.ChinaTime(TimeSpan.Zero);
        var both = await SeedOk(sim, new { subsId, callTime, recording = true, ringRecording = true });
        var callOnly = await SeedOk(sim, new { subsId, callTime, recording = true });

        var response = await TotalUrl(sim, both, callTime, checkSubs: "true");

        Assert.Equal("OK", response.Code);
        var data = response.Field("Data");
        var ring = data.GetProperty("RingPublicUrl").GetString()!;
        var phone = data.GetProperty("PhonePublicUrl").GetString()!;
        Assert.NotEqual(ring, phone);
        Assert.Equal(sim.Clock.GetUtcNow().AddHours(2).ToUnixTimeSeconds(), ExpiresOf(ring));
        Assert.Equal(sim.Clock.GetUtcNow().AddHours(2).ToUnixTimeSeconds(), ExpiresOf(phone));
        Assert.False((await TotalUrl(sim, callOnly, callTime)).Field("Data").TryGetProperty("RingPublicUrl", out _));

        // CheckSubs=true checks that the call's binding still exists; false does not.
        Assert.Equal("OK", (await sim.UnbindAsync(subsId, x)).Code);
        Assert.Equal("isv.SUBS_NOT_EXIST", (await TotalUrl(sim, both, callTime, checkSubs: "true")).Code);
        Assert.Equal("OK", (await TotalUrl(sim, both, callTime, checkSubs: "false")).Code);
        Assert.Equal("isv.INVALID_PARAMETERS", (await TotalUrl(sim, both, callTime, checkSubs: "yes")).Code);
        var poolKeyInstead = await sim.Pop.PostAsync("GetTotalPublicUrl", ("CheckSubs", "false"), ("PoolKey", Pool), ("CallId", both), ("CallTime", callTime));
        Assert.Equal("MissingPartnerKey", poolKeyInstead.Code);

        sim.Clock.Advance(TimeSpan.FromDays(15));
        Assert.Equal("isv.FORBIDDEN_ACTION", (await TotalUrl(sim, both, callTime)).Code);
    }

    [Fact]
    public async Task GetSecretAsrDetail_AnswersTheDocumentedShape()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (subsId, _) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("ASRStatus", "true"));
        var callTime = sim.ChinaTime(TimeSpan.Zero);
        var callId = await SeedOk(sim, new
        {
            subsId,
            callTime,
            asr = new { sentences = new[] { new { text = "您好", beginTime = 1020, endTime = 1770, channelId = 0, speechRate = 80, emotionValue = "5.7" } } },
        });

        var response = await Asr(sim, callId, callTime);

        Assert.Equal("OK", response.Code);
        var data = response.Field("Data");
        Assert.Equal("21050000", data.GetProperty("Code").GetString());
        Assert.Equal("SUCCESS", data.GetProperty("Msg").GetString());
        Assert.Equal("asrResult", data.GetProperty("Type").GetString());
        Assert.Equal(1770, data.GetProperty("BizDuration").GetInt64());
        Assert.Contains("@!" + Pool + "@!2026030110", data.GetProperty("BusinessId").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(response.RequestId, data.GetProperty("RequestId").GetString());
        var sentence = Assert.Single(data.GetProperty("Sentences").EnumerateArray());
        Assert.Equal("您好", sentence.GetProperty("Text").GetString());
        Assert.Equal(1020, sentence.GetProperty("BeginTime").GetInt64());
        Assert.Equal(JsonValueKind.String, sentence.GetProperty("EmotionValue").ValueKind);
        Assert.Equal(80, sentence.GetProperty("SpeechRate").GetInt32());
    }

    [Fact]
    public async Task Asr_ExistsOnlyForBindingsWithAsrStatus()
    {
        // R-REC-4.
        await using var sim = await RunningSimulator.StartAsync();
        var (subsId, _) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next());
        var callTime = sim.ChinaTime(TimeSpan.Zero);

        var (status, _) = await Seed(sim, new { subsId, asr = new { sentences = new[] { new { text = "您好" } } } });
        Assert.Equal(HttpStatusCode.Conflict, status);

        var callId = await SeedOk(sim, new { subsId, callTime });
        Assert.Equal("isv.FORBIDDEN_ACTION", (await Asr(sim, callId, callTime)).Code);
    }

    [Fact]
    public async Task GetSecretAsrDetail_ForARamUserWithoutPermission_IsIspRamPermissionDenied_Http400()
    {
        await using var sim = await RunningSimulator.StartAsync(
            "Accounts:0:AccessKeyId=" + PopTestClient.DefaultAccessKeyId, "Accounts:0:AccessKeySecret=" + PopTestClient.DefaultSecret,
            "Accounts:1:AccessKeyId=ram-user", "Accounts:1:AccessKeySecret=ram-secret", "RamDeniedAccessKeyIds:0=ram-user");

        var response = await sim.Pop.SendAsync(new PopCall("GetSecretAsrDetail", ("CallId", "x"), ("CallTime", sim.ChinaTime(TimeSpan.Zero)), ("PoolKey", Pool))
        {
            AccessKeyId = "ram-user",
            Secret = "ram-secret",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("isp.RAM_PERMISSION_DENIED", response.Code);
    }

    [Fact]
    public async Task ConfirmSendSms_ReleasesTheHeldSmsOnce_AnsweringDataAsTheStringTrue()
    {
        // R-SMS-1.
        await using var sim = await RunningSimulator.StartAsync();
        var callId = await SeedOk(sim, new { poolKey = Pool, secretNo = "17000000001", sms = new { content = "您的验证码是1234" } });

        var response = await Confirm(sim, "17000000001", callId);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("OK", response.Code);
        Assert.Equal(JsonValueKind.String, response.Field("Data").ValueKind);
        Assert.Equal("true", response.Field("Data").GetString());
        var call = Assert.Single((await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/calls")).EnumerateArray());
        Assert.True(call.GetProperty("sms").GetProperty("confirmed").GetBoolean());
        Assert.Equal("isv.FORBIDDEN_ACTION", (await Confirm(sim, "17000000001", callId)).Code);
    }

    [Fact]
    public async Task ConfirmSendSms_AnswersTheDocumentedErrors_WithHttp400()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var held = await SeedOk(sim, new { poolKey = Pool, secretNo = "17000000001", sms = new { content = "hi" } });
        var illegal = await SeedOk(sim, new { poolKey = Pool, secretNo = "17000000001", sms = new { content = "spam", rejectCode = "SmsContentIllegal" } });
        var noSms = await SeedOk(sim, new { poolKey = Pool, secretNo = "17000000001" });

        var unknownPool = await Confirm(sim, "17000000001", held, "FC999");
        Assert.Equal((HttpStatusCode.BadRequest, "PoolKeyNotFound", "The specified poolKey does not exist."), (unknownPool.Status, unknownPool.Code, unknownPool.Message));
        var wrongX = await Confirm(sim, "17000000002", held);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidJsonParam"), (wrongX.Status, wrongX.Code));
        Assert.Equal("InvalidJsonParam", (await Confirm(sim, "17000000001", noSms)).Code);
        var content = await Confirm(sim, "17000000001", illegal);
        Assert.Equal((HttpStatusCode.BadRequest, "SmsContentIllegal"), (content.Status, content.Code));

        // [ext] A held SMS older than one day can no longer be confirmed.
        sim.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        Assert.Equal("isv.FORBIDDEN_ACTION", (await Confirm(sim, "17000000001", held)).Code);
    }

    [Fact]
    public async Task SeedingAnSms_WithAnUndocumentedRejectCode_IsABadRequest()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var (status, _) = await Seed(sim, new { poolKey = Pool, secretNo = "17000000001", sms = new { rejectCode = "isv.SOMETHING" } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}
