using System.Globalization;
using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Tests.Aliyun.Support;
using BindingService.PopSignature;

namespace BindingService.Infrastructure.Tests.Aliyun;

/// <summary>What the client puts on the wire: a signed form POST, values in the provider's formats.</summary>
public sealed class DyplsapiClientRequestTests
{
    [Fact]
    public async Task BindAxb_PostsAFormBody_ToTheEndpoint_WithNothingInTheUrl()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BindAxbOk);

        await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(AliyunTestHost.Endpoint, sent.Uri);
        Assert.Equal(string.Empty, sent.Uri.Query);
        Assert.DoesNotContain(Samples.PartyA.Digits, sent.Uri.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Samples.PartyB.Digits, sent.Uri.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("application/x-www-form-urlencoded", sent.ContentType, StringComparison.Ordinal);
        Assert.Equal(Samples.PartyA.Digits, sent["PhoneNoA"]);
    }

    [Fact]
    public async Task BindAxb_IsSignedForPost_WithTheConfiguredSecret()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BindAxbOk);

        await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.True(PopSigner.Verify("POST", sent.WithoutSignature, AliyunTestHost.AccessKeySecret, sent["Signature"]));
        Assert.False(PopSigner.Verify("GET", sent.WithoutSignature, AliyunTestHost.AccessKeySecret, sent["Signature"]));
    }

    [Fact]
    public async Task BindAxb_SendsExactlyTheCanonicalString_SoSpacesAreEncodedAsPercent20()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BindAxbOk);

        await host.Provider.BindAsync(Samples.Bind() with { ExpectCity = "北京" }, CancellationToken.None);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal(PopSigner.ToSignedQuery(sent.WithoutSignature, sent["Signature"]), sent.Body);
        Assert.Contains("&Expiration=2026-01-01%2012%3A00%3A00&", sent.Body, StringComparison.Ordinal);
        Assert.Contains("&ExpectCity=%E5%8C%97%E4%BA%AC&", sent.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("+", sent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindAxb_CarriesTheCommonParameters_WithTimestampFromTheInjectedClock()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BindAxbOk);

        await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal("BindAxb", sent["Action"]);
        Assert.Equal(AliyunTestHost.AccessKeyId, sent["AccessKeyId"]);
        Assert.Equal("JSON", sent["Format"]);
        Assert.Equal("cn-hangzhou", sent["RegionId"]);
        Assert.Equal("HMAC-SHA1", sent["SignatureMethod"]);
        Assert.Equal("1.0", sent["SignatureVersion"]);
        Assert.Equal("2017-05-25", sent["Version"]);
        Assert.Equal("2026-01-01T01:02:03Z", sent["Timestamp"]);
        Assert.True(Guid.TryParse(sent["SignatureNonce"], out _));
        Assert.Equal(sent.Pairs.Count, sent.Pairs.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task TwoCalls_UseDifferentSignatureNonces()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BindAxbOk);

        await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);
        await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.NotEqual(host.Stub.Requests[0]["SignatureNonce"], host.Stub.Requests[1]["SignatureNonce"]);
    }

    [Fact]
    public async Task BindAxb_SendsEveryGivenParameter_InTheProviderFormats()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BindAxbOk);
        var request = new BindRequest(
            Domain.Bindings.BindingProduct.Axb,
            "FC123456",
            Samples.PartyA,
            Samples.PartyB,
            new DateTimeOffset(2026, 1, 1, 4, 0, 0, TimeSpan.Zero),
            OutId: "b-42",
            OutOrderId: "ride-7",
            ExpectCity: "杭州",
            PhoneNoX: "17000000000",
            RecordingEnabled: true,
            CallRestriction: CallRestriction.PartyACannotCall);

        await host.Provider.BindAsync(request, CancellationToken.None);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal("FC123456", sent["PoolKey"]);
        Assert.Equal("13812345678", sent["PhoneNoA"]);
        Assert.Equal("13987654321", sent["PhoneNoB"]);
        Assert.Equal("2026-01-01 12:00:00", sent["Expiration"]);
        Assert.Equal("b-42", sent["OutId"]);
        Assert.Equal("ride-7", sent["OutOrderId"]);
        Assert.Equal("杭州", sent["ExpectCity"]);
        Assert.Equal("17000000000", sent["PhoneNoX"]);
        Assert.Equal("true", sent["IsRecordingEnabled"]);
        Assert.Equal("CONTROL_AX_DISABLE", sent["CallRestrict"]);
    }

    [Fact]
    public async Task BindAxb_LeavesOutWhatWasNotGiven_AndUsesTheDefaultPoolWhenNoneIsNamed()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BindAxbOk);

        await host.Provider.BindAsync(Samples.Bind(poolKey: ""), CancellationToken.None);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal(AliyunTestHost.DefaultPoolKey, sent["PoolKey"]);
        Assert.False(sent.Has("CallRestrict"));
        Assert.False(sent.Has("IsRecordingEnabled"));
        Assert.False(sent.Has("OutOrderId"));
        Assert.False(sent.Has("ExpectCity"));
        Assert.False(sent.Has("PhoneNoX"));
    }

    [Theory]
    [InlineData(false, "false")]
    [InlineData(true, "true")]
    public async Task BindAxb_WritesBooleansInLowerCase(bool recording, string expected)
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BindAxbOk);

        await host.Provider.BindAsync(Samples.Bind() with { RecordingEnabled = recording }, CancellationToken.None);

        Assert.Equal(expected, Assert.Single(host.Stub.Requests)["IsRecordingEnabled"]);
    }

    [Theory]
    [InlineData("2026-01-01T04:00:00+00:00", "2026-01-01 12:00:00")]
    [InlineData("2025-12-31T20:30:15+00:00", "2026-01-01 04:30:15")]
    [InlineData("2026-01-01T12:00:00+08:00", "2026-01-01 12:00:00")]
    public async Task BindAxb_SendsExpirationAsChinaTime(string expiresAt, string expected)
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BindAxbOk);

        await host.Provider.BindAsync(Samples.Bind() with { ExpiresAt = DateTimeOffset.Parse(expiresAt, CultureInfo.InvariantCulture) }, CancellationToken.None);

        Assert.Equal(expected, Assert.Single(host.Stub.Requests)["Expiration"]);
    }

    [Fact]
    public async Task BindAxb_UsesTheConfiguredChinaOffset()
    {
        using var host = AliyunTestHost.Create(s => s["Aliyun:ChinaUtcOffsetHours"] = "9");
        host.Stub.ThenJson(Samples.BindAxbOk);

        await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal("2026-01-01 13:00:00", Assert.Single(host.Stub.Requests)["Expiration"]);
    }

    public static TheoryData<string, string, string, string> Updates => new()
    {
        { "partyA", "updateNoA", "PhoneNoA", "13700000001" },
        { "partyB", "updateNoB", "PhoneNoB", "13700000002" },
        { "expiry", "updateExpire", "Expiration", "2026-01-01 12:00:00" },
        { "restrictionNone", "updateCallRestrict", "CallRestrict", "CONTROL_CLEAR_DISABLE" },
        { "restrictionA", "updateCallRestrict", "CallRestrict", "CONTROL_AX_DISABLE" },
        { "restrictionB", "updateCallRestrict", "CallRestrict", "CONTROL_BX_DISABLE" },
        { "recordingOff", "updateIsRecordingEnabled", "IsRecordingEnabled", "false" },
        { "recordingOn", "updateIsRecordingEnabled", "IsRecordingEnabled", "true" },
        { "outId", "updateOutId", "OutId", "b-43" },
    };

    [Theory]
    [MemberData(nameof(Updates))]
    public async Task UpdateSubscription_SendsOneOperation_WithItsParameter(string change, string operateType, string name, string value)
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.UpdateOk);
        var s = Samples.Subscription;
        SubscriptionUpdate update = change switch
        {
            "partyA" => new SubscriptionUpdate.ChangePartyA(s, PhoneNumber.Parse("13700000001")),
            "partyB" => new SubscriptionUpdate.ChangePartyB(s, PhoneNumber.Parse("13700000002")),
            "expiry" => new SubscriptionUpdate.ChangeExpiry(s, new DateTimeOffset(2026, 1, 1, 4, 0, 0, TimeSpan.Zero)),
            "restrictionNone" => new SubscriptionUpdate.ChangeCallRestriction(s, CallRestriction.None),
            "restrictionA" => new SubscriptionUpdate.ChangeCallRestriction(s, CallRestriction.PartyACannotCall),
            "restrictionB" => new SubscriptionUpdate.ChangeCallRestriction(s, CallRestriction.PartyBCannotCall),
            "recordingOff" => new SubscriptionUpdate.ChangeRecording(s, false),
            "recordingOn" => new SubscriptionUpdate.ChangeRecording(s, true),
            _ => new SubscriptionUpdate.ChangeOutId(s, "b-43"),
        };

        var result = await host.Provider.UpdateSubscriptionAsync(update, CancellationToken.None);

        Assert.True(result.IsSuccess);
        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal("UpdateSubscription", sent["Action"]);
        Assert.Equal(operateType, sent["OperateType"]);
        Assert.Equal(value, sent[name]);
        Assert.Equal("FC123456", sent["PoolKey"]);
        Assert.Equal("1000000768798832", sent["SubsId"]);
        Assert.Equal("17000000000", sent["PhoneNoX"]);
        Assert.Equal(
            new[] { name, "OperateType", "PhoneNoX", "PoolKey", "SubsId" }.Order(StringComparer.Ordinal),
            BusinessParameterNames(sent));
        Assert.True(PopSigner.Verify("POST", sent.WithoutSignature, AliyunTestHost.AccessKeySecret, sent["Signature"]));
    }

    private static readonly string[] CommonParameters =
        ["Action", "AccessKeyId", "Format", "RegionId", "Signature", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version"];

    private static IEnumerable<string> BusinessParameterNames(CapturedRequest sent) =>
        sent.Pairs.Select(p => p.Key).Where(k => !CommonParameters.Contains(k)).Order(StringComparer.Ordinal);

    [Fact]
    public async Task UnbindSubscription_NamesTheVirtualNumberSecretNo()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.UnbindOk);

        await host.Provider.UnbindSubscriptionAsync(Samples.Subscription, CancellationToken.None);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal("UnbindSubscription", sent["Action"]);
        Assert.Equal("FC123456", sent["PoolKey"]);
        Assert.Equal("1000000768798832", sent["SubsId"]);
        Assert.Equal("17000000000", sent["SecretNo"]);
        Assert.Equal(["PoolKey", "SecretNo", "SubsId"], BusinessParameterNames(sent));
    }

    [Fact]
    public async Task QuerySubscriptionDetail_NamesTheVirtualNumberPhoneNoX()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.QueryOk);

        await host.Provider.QuerySubscriptionDetailAsync(Samples.Subscription, CancellationToken.None);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal("QuerySubscriptionDetail", sent["Action"]);
        Assert.Equal("FC123456", sent["PoolKey"]);
        Assert.Equal("1000000768798832", sent["SubsId"]);
        Assert.Equal("17000000000", sent["PhoneNoX"]);
        Assert.Equal(["PhoneNoX", "PoolKey", "SubsId"], BusinessParameterNames(sent));
    }
}
