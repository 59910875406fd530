using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BindingService.AliyunSimulator.Tests.Support;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>The POP gateway: transport, signature, timestamp, nonce, key, action and common-parameter checks (docs/provider-rules.md, 'Requests and responses', 'Signing', A.3).</summary>
public sealed partial class GatewayTests : IAsyncLifetime
{
    private RunningSimulator sim = null!;

    public async Task InitializeAsync() => sim = await RunningSimulator.StartAsync();

    public async Task DisposeAsync() => await sim.DisposeAsync();

    private static PopCall Query(params (string, string)[] extra) =>
        new("QuerySubscriptionDetail", [("PoolKey", RunningSimulator.PoolKey), ("SubsId", "1000000000000001"), ("PhoneNoX", "17000000001"), .. extra]);

    [Fact]
    public async Task Get_WithTheParametersInTheQueryString_IsAccepted()
    {
        var (a, b) = (TestPhones.Next(), TestPhones.Next());

        var response = await sim.Pop.GetAsync(
            "BindAxb", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", a), ("PhoneNoB", b), ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("OK", response.Code);
        Assert.Equal(a, Assert.Single(await sim.BindingsAsync()).GetProperty("phoneNoA").GetString());
    }

    [Fact]
    public async Task Post_WithAFormBody_IsAccepted()
    {
        var (a, b) = (TestPhones.Next(), TestPhones.Next());

        var response = await sim.Pop.PostAsync(
            "BindAxb", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", a), ("PhoneNoB", b), ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("OK", response.Code);
        Assert.Equal(b, Assert.Single(await sim.BindingsAsync()).GetProperty("phoneNoB").GetString());
    }

    [Fact]
    public async Task Post_FormDecoding_ReadsPlusAsASpace_AndTheSignatureCoversTheDecodedValue()
    {
        // FormUrlEncodedContent writes "order 1 + 2" as "order+1+%2B+2"; Expiration's space also travels as '+'.
        var (subsId, _) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("OutId", "order 1 + 2"));

        var binding = Assert.Single(await sim.BindingsAsync());
        Assert.Equal(subsId, binding.GetProperty("subsId").GetString());
        Assert.Equal("order 1 + 2", binding.GetProperty("outId").GetString());
    }

    [Fact]
    public async Task Post_WithAPopEncodedBody_AsTheServiceClientSendsIt_IsAccepted()
    {
        var call = new PopCall(
            "BindAxb",
            ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()),
            ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))), ("ExpectCity", "杭州"), ("OutId", "a*b~c d"))
        { PopEncodedBody = true };

        var response = await sim.Pop.SendAsync(call);

        Assert.Equal("OK", response.Code);
        Assert.Equal("a*b~c d", Assert.Single(await sim.BindingsAsync()).GetProperty("outId").GetString());
    }

    [Fact]
    public async Task TamperedParameter_IsRejectedWith_SignatureDoesNotMatch()
    {
        var call = new PopCall(
            "BindAxb",
            ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()),
            ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))))
        { AfterSigning = p => p["PhoneNoB"] = TestPhones.Next() };

        var response = await sim.Pop.SendAsync(call);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("SignatureDoesNotMatch", response.Code);
        Assert.Empty(await sim.BindingsAsync());
    }

    [Fact]
    public async Task SignatureMadeForGet_IsRejectedOnPost_BecauseTheMethodIsSigned()
    {
        var response = await sim.Pop.SendAsync(Query() with { Method = HttpMethod.Post, SignAs = HttpMethod.Get });

        Assert.Equal("SignatureDoesNotMatch", response.Code);
    }

    [Fact]
    public async Task WrongSecret_IsRejectedWith_SignatureDoesNotMatch()
    {
        var response = await sim.Pop.SendAsync(Query() with { Secret = "not-the-secret" });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("SignatureDoesNotMatch", response.Code);
    }

    [Fact]
    public async Task UnknownParameters_TakePartInTheSignature()
    {
        var signedExtra = await sim.Pop.SendAsync(Query(("SourceIp", "42.120.75.150"), ("SecureTransport", "true")));
        var unsignedExtra = await sim.Pop.SendAsync(Query() with { AfterSigning = p => p["SourceIp"] = "42.120.75.150" });

        Assert.Equal("isv.SUBS_NOT_EXIST", signedExtra.Code);
        Assert.Equal("SignatureDoesNotMatch", unsignedExtra.Code);
    }

    [Fact]
    public async Task ReusedNonce_IsRejectedWith_SignatureNonceUsed()
    {
        var nonce = Guid.NewGuid().ToString();

        var once = await sim.Pop.SendAsync(Query() with { Nonce = nonce });
        var again = await sim.Pop.SendAsync(Query(("OutId", "different")) with { Nonce = nonce, Method = HttpMethod.Get });

        Assert.Equal("isv.SUBS_NOT_EXIST", once.Code);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("SignatureNonceUsed", again.Code);
    }

    [Fact]
    public async Task Nonces_AreScopedToTheAccessKey()
    {
        await using var twoKeys = await RunningSimulator.StartAsync(
            "Accounts:0:AccessKeyId=key-1", "Accounts:0:AccessKeySecret=secret-1", "Accounts:1:AccessKeyId=key-2", "Accounts:1:AccessKeySecret=secret-2");
        var nonce = Guid.NewGuid().ToString();

        var first = await twoKeys.Pop.SendAsync(Query() with { Nonce = nonce, AccessKeyId = "key-1", Secret = "secret-1" });
        var otherKey = await twoKeys.Pop.SendAsync(Query() with { Nonce = nonce, AccessKeyId = "key-2", Secret = "secret-2" });

        Assert.Equal("isv.SUBS_NOT_EXIST", first.Code);
        Assert.Equal("isv.SUBS_NOT_EXIST", otherKey.Code);
    }

    [Fact]
    public async Task Nonce_IsUsableAgain_OnceTheWindowHasPassed()
    {
        var nonce = Guid.NewGuid().ToString();
        Assert.Equal("isv.SUBS_NOT_EXIST", (await sim.Pop.SendAsync(Query() with { Nonce = nonce })).Code);

        sim.Clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal("isv.SUBS_NOT_EXIST", (await sim.Pop.SendAsync(Query() with { Nonce = nonce })).Code);
    }

    [Fact]
    public async Task BadlySignedRequest_DoesNotSpendItsNonce()
    {
        var nonce = Guid.NewGuid().ToString();
        Assert.Equal("SignatureDoesNotMatch", (await sim.Pop.SendAsync(Query() with { Nonce = nonce, Secret = "wrong" })).Code);

        Assert.Equal("isv.SUBS_NOT_EXIST", (await sim.Pop.SendAsync(Query() with { Nonce = nonce })).Code);
    }

    [Theory]
    [InlineData(-16)]
    [InlineData(16)]
    public async Task TimestampMoreThanFifteenMinutesOff_IsRejectedWith_InvalidTimeStampExpired(int minutes)
    {
        var response = await sim.Pop.SendAsync(Query() with { Timestamp = sim.Clock.GetUtcNow().AddMinutes(minutes) });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("InvalidTimeStamp.Expired", response.Code);
    }

    [Theory]
    [InlineData(-14)]
    [InlineData(14)]
    public async Task TimestampWithinFifteenMinutes_IsAccepted(int minutes)
    {
        var response = await sim.Pop.SendAsync(Query() with { Timestamp = sim.Clock.GetUtcNow().AddMinutes(minutes) });

        Assert.Equal("isv.SUBS_NOT_EXIST", response.Code);
    }

    [Fact]
    public async Task TimestampTolerance_IsConfigurable()
    {
        await using var strict = await RunningSimulator.StartAsync("TimestampToleranceMinutes=1");

        var response = await strict.Pop.SendAsync(Query() with { Timestamp = strict.Clock.GetUtcNow().AddMinutes(-2) });

        Assert.Equal("InvalidTimeStamp.Expired", response.Code);
    }

    [Theory]
    [InlineData("2026-03-01 02:00:00")]
    [InlineData("2026-03-01T02:00:00+08:00")]
    [InlineData("yesterday")]
    public async Task MalformedTimestamp_IsRejectedWith_InvalidTimeStampFormat(string timestamp)
    {
        var response = await sim.Pop.SendAsync(Query() with { BeforeSigning = p => p["Timestamp"] = timestamp });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("InvalidTimeStamp.Format", response.Code);
    }

    [Fact]
    public async Task UnknownAccessKeyId_IsRejectedWith404_InvalidAccessKeyIdNotFound()
    {
        var response = await sim.Pop.SendAsync(Query() with { AccessKeyId = "nobody", Secret = "whatever" });

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("InvalidAccessKeyId.NotFound", response.Code);
    }

    [Fact]
    public async Task DisabledAccessKey_IsRejectedWith_InvalidAccessKeyIdInactive()
    {
        await using var disabled = await RunningSimulator.StartAsync(
            "Accounts:0:AccessKeyId=simulator-access-key", "Accounts:0:AccessKeySecret=simulator-access-secret", "Accounts:0:Enabled=false");

        var response = await disabled.Pop.SendAsync(Query());

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("InvalidAccessKeyId.Inactive", response.Code);
    }

    [Fact]
    public async Task ConfiguredAccounts_ReplaceTheDefaultOne()
    {
        await using var custom = await RunningSimulator.StartAsync("Accounts:0:AccessKeyId=team-key", "Accounts:0:AccessKeySecret=team-secret");

        var withDefault = await custom.Pop.SendAsync(Query());
        var withConfigured = await custom.Pop.SendAsync(Query() with { AccessKeyId = "team-key", Secret = "team-secret" });

        Assert.Equal("InvalidAccessKeyId.NotFound", withDefault.Code);
        Assert.Equal("isv.SUBS_NOT_EXIST", withConfigured.Code);
    }

    [Theory]
    [InlineData("BindAxc")]
    [InlineData("bindAxb")]
    [InlineData("QueryCallStatus")]
    public async Task UnknownOrMisCasedAction_IsRejectedWith404_InvalidApiNotFound(string action)
    {
        var response = await sim.Pop.SendAsync(new PopCall(action, ("PoolKey", RunningSimulator.PoolKey)));

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("InvalidApi.NotFound", response.Code);
    }

    [Theory]
    [InlineData("AccessKeyId")]
    [InlineData("SignatureMethod")]
    [InlineData("SignatureNonce")]
    [InlineData("SignatureVersion")]
    [InlineData("Timestamp")]
    [InlineData("Version")]
    [InlineData("Action")]
    public async Task MissingCommonParameter_IsRejectedWith400_MissingItsName(string name)
    {
        var response = await sim.Pop.SendAsync(Query() with { BeforeSigning = p => p.Remove(name) });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("Missing" + name, response.Code);
        Assert.Equal($"{name} is mandatory for this action.", response.Message);
    }

    [Fact]
    public async Task MissingSignature_IsRejectedWith_MissingSignature()
    {
        var response = await sim.Pop.SendAsync(Query() with { AfterSigning = p => p.Remove("Signature") });

        Assert.Equal("MissingSignature", response.Code);
    }

    [Fact]
    public async Task SignatureMethodOtherThanHmacSha1_IsRejectedWith_InvalidSignatureMethod()
    {
        var response = await sim.Pop.SendAsync(Query() with { BeforeSigning = p => p["SignatureMethod"] = "HMAC-SHA256" });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("InvalidSignatureMethod", response.Code);
    }

    [Fact]
    public async Task FormatOtherThanJsonOrXml_IsRejectedWith_InvalidParameterFormat()
    {
        var response = await sim.Pop.SendAsync(Query() with { Format = "YAML" });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("InvalidParameter.Format", response.Code);
    }

    [Fact]
    public async Task VersionOtherThan20170525_IsRejectedWith_InvalidVersion()
    {
        var response = await sim.Pop.SendAsync(Query() with { BeforeSigning = p => p["Version"] = "2020-02-17" });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("InvalidVersion", response.Code);
    }

    [Fact]
    public async Task GatewayErrorBody_CarriesRequestIdHostIdCodeMessageAndRecommend()
    {
        var response = await sim.Pop.SendAsync(Query() with { Secret = "wrong" });

        Assert.Equal("application/json", response.ContentType);
        Assert.Equal(["RequestId", "HostId", "Code", "Message", "Recommend"], response.Json.EnumerateObject().Select(p => p.Name));
        Assert.Matches(RequestIdPattern(), response.RequestId);
        Assert.Equal("dyplsapi.aliyuncs.com", response.Field("HostId").GetString());
        Assert.Equal("Specified signature is not matched with our calculation.", response.Message);
        Assert.Equal(
            "https://error-center.aliyun.com/status/search?Keyword=SignatureDoesNotMatch&source=PopGw",
            response.Field("Recommend").GetString());
    }

    [Fact]
    public async Task EveryResponse_HasAFreshUpperCaseRequestId()
    {
        var first = await sim.Pop.SendAsync(Query());
        var second = await sim.Pop.SendAsync(Query());

        Assert.Matches(RequestIdPattern(), first.RequestId);
        Assert.Matches(RequestIdPattern(), second.RequestId);
        Assert.NotEqual(first.RequestId, second.RequestId);
    }

    [Fact]
    public async Task MissingRequiredBusinessParameter_IsRejectedWith400_MissingPoolKey()
    {
        var response = await sim.Pop.PostAsync(
            "BindAxb", ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()), ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("MissingPoolKey", response.Code);
        Assert.Equal("PoolKey is mandatory for this action.", response.Message);
        Assert.True(response.Json.TryGetProperty("HostId", out _), "a Missing error has the gateway's body shape");
    }

    [Fact]
    public async Task BlankRequiredBusinessParameter_CountsAsMissing()
    {
        var response = await sim.Pop.PostAsync(
            "BindAxb", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", ""), ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))));

        Assert.Equal("MissingPhoneNoB", response.Code);
    }

    [Fact]
    public async Task FormatXml_AnswersUnderTheActionResponseRoot()
    {
        var response = await sim.Pop.SendAsync(new PopCall(
            "BindAxb",
            ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()),
            ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))))
        { Format = "XML" });

        Assert.Equal("application/xml", response.ContentType);
        var root = XDocument.Parse(response.Body).Root!;
        Assert.Equal("BindAxbResponse", root.Name.LocalName);
        Assert.Equal("OK", root.Element("Code")?.Value);
        Assert.Matches(RequestIdPattern(), root.Element("RequestId")?.Value);
        Assert.Matches("^[0-9]{16}$", root.Element("SecretBindDTO")?.Element("SubsId")?.Value);
        Assert.StartsWith("170000000", root.Element("SecretBindDTO")?.Element("SecretNo")?.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormatXml_GatewayErrorsAnswerUnderAnErrorRoot()
    {
        var response = await sim.Pop.SendAsync(new PopCall("NoSuchAction") { Format = "XML" });

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        var root = XDocument.Parse(response.Body).Root!;
        Assert.Equal("Error", root.Name.LocalName);
        Assert.Equal("InvalidApi.NotFound", root.Element("Code")?.Value);
        Assert.Equal("dyplsapi.aliyuncs.com", root.Element("HostId")?.Value);
    }

    [Fact]
    public async Task OtherHttpMethods_AreNotRoutedToTheApi()
    {
        var response = await sim.Http.PutAsync("/", new StringContent("Action=BindAxb"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [GeneratedRegex("^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")]
    private static partial Regex RequestIdPattern();
}
