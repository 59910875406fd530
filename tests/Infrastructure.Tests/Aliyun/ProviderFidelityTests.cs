using System.Net;
using BindingService.Application.Abstractions;
using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Tests.Aliyun.Support;

namespace BindingService.Infrastructure.Tests.Aliyun;

/// <summary>
/// The client follows the reference where the provider would refuse (issue 16 item 5): requests that break a
/// documented rule are refused before anything is sent, as an invalid request; an unknown pool is a misconfigured pool,
/// named in the log and the metric. Each case cites its rule in docs/provider-rules.md.
/// </summary>
public sealed class ProviderFidelityTests
{
    private const string PoolKey = "FC123456";
    private const string A = "13812345678";
    private const string B = "13987654321";
    private const string X = "17000000000";
    private const string SubsId = "1000000768798832";

    private static readonly DateTimeOffset Expiry = new(2026, 1, 1, 4, 0, 0, TimeSpan.Zero);

    private static BindAxnExtensionRequest Extension(string? extension) =>
        new() { PoolKey = PoolKey, PhoneNoA = A, PhoneNoX = X, Extension = extension, Expiration = Expiry };

    private static UpdateSubscriptionRequest Update(string operateType) =>
        new() { PoolKey = PoolKey, SubsId = SubsId, PhoneNoX = X, OperateType = operateType };

    /// <summary>Requests the reference refuses, by the rule they break (docs/provider-rules.md).</summary>
    public static TheoryData<string, string> BrokenRules => new()
    {
        { "R-BIND-6", "extension of 4 digits" },
        { "R-BIND-6", "extension with a letter" },
        { "R-BIND-6", "extension with a sign" },
        { "R-UPD-2", "updateNoA without PhoneNoA" },
        { "R-UPD-2", "updateNoB without PhoneNoB" },
        { "R-UPD-2", "updateCallDisplayType without CallDisplayType" },
        { "R-BIND-8", "bind with CallDisplayType 2" },
        { "R-BIND-8", "bind with CallDisplayType 0" },
        { "R-BIND-8", "updateCallDisplayType to 2" },
    };

    private static Task<ProviderError?> CallAsync(IDyplsapiClient client, string which) => which switch
    {
        "extension of 4 digits" => ErrorOf(client.BindAxnExtensionAsync(Extension("1234"), default)),
        "extension with a letter" => ErrorOf(client.BindAxnExtensionAsync(Extension("12a"), default)),
        "extension with a sign" => ErrorOf(client.BindAxnExtensionAsync(Extension("-1"), default)),
        "updateNoA without PhoneNoA" => ErrorOf(client.UpdateSubscriptionAsync(Update(SubscriptionOperations.UpdateNoA) with { PhoneNoB = B }, default)),
        "updateNoB without PhoneNoB" => ErrorOf(client.UpdateSubscriptionAsync(Update(SubscriptionOperations.UpdateNoB) with { PhoneNoA = A }, default)),
        "updateCallDisplayType without CallDisplayType" => ErrorOf(client.UpdateSubscriptionAsync(Update(SubscriptionOperations.UpdateCallDisplayType), default)),
        "bind with CallDisplayType 2" => ErrorOf(client.BindAxbAsync(new BindAxbRequest { PoolKey = PoolKey, PhoneNoA = A, PhoneNoB = B, Expiration = Expiry, CallDisplayType = 2 }, default)),
        "bind with CallDisplayType 0" => ErrorOf(client.BindAxnAsync(new BindAxnRequest { PoolKey = PoolKey, PhoneNoA = A, Expiration = Expiry, CallDisplayType = 0 }, default)),
        _ => ErrorOf(client.UpdateSubscriptionAsync(Update(SubscriptionOperations.UpdateCallDisplayType) with { CallDisplayType = 2 }, default)),
    };

    private static async Task<ProviderError?> ErrorOf<T>(Task<ProviderResult<T>> call) => (await call).Error;

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task ARequestBreakingADocumentedRule_IsRefusedBeforeSending_AsAnInvalidRequest(string rule, string which)
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(DocumentedBodies.Ok);
        using var metrics = new MetricRecorder(host);

        var error = await CallAsync(host.Dyplsapi, which);

        Assert.Equal(new ProviderError(ProviderErrorKind.InvalidRequest, AliyunErrorMap.ClientCodes.InvalidRequest), error);
        Assert.Equal(0, host.Stub.Calls);
        var log = Assert.Single(host.Logs.Entries, e => e.Contains(AliyunErrorMap.ClientCodes.InvalidRequest, StringComparison.Ordinal));
        Assert.Contains(rule, log, StringComparison.Ordinal);
        Assert.DoesNotContain(A, log, StringComparison.Ordinal);
        Assert.DoesNotContain(B, log, StringComparison.Ordinal);
        var call = Assert.Single(metrics.Of(AliyunTelemetry.CallsInstrument));
        Assert.Equal(AliyunErrorMap.ClientCodes.InvalidRequest, call["aliyun.code"]);
        Assert.Equal("invalid_request", call["aliyun.error_kind"]);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("01")]
    [InlineData("130")]
    [InlineData(null)]
    public async Task BindAxnExtension_WithAnExtensionOf1To3Digits_OrNone_IsSent(string? extension)
    {
        // docs/provider-rules.md R-BIND-6: X plus a 1–3 digit extension identifies A.
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(DocumentedBodies.BindAxnExtension);

        var result = await host.Dyplsapi.BindAxnExtensionAsync(Extension(extension), default);

        Assert.True(result.IsSuccess);
        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal(extension is not null, sent.Has("Extension"));
    }

    [Fact]
    public async Task CallDisplayType1_IsSent()
    {
        // docs/provider-rules.md R-BIND-8: 1 is CallDisplayType's only value.
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(DocumentedBodies.Ok);

        var result = await host.Dyplsapi.UpdateSubscriptionAsync(Update(SubscriptionOperations.UpdateCallDisplayType) with { CallDisplayType = 1 }, default);

        Assert.True(result.IsSuccess);
        Assert.Equal("1", Assert.Single(host.Stub.Requests)["CallDisplayType"]);
    }

    [Theory]
    [InlineData("ProductUnsubscribe")]
    [InlineData("PoolKeyNotFound")]
    [InlineData("isv.POOLKEY_NOT_EXISTS")]
    public async Task AnUnknownPool_IsPoolNotFound_NamedInTheLogAndTheMetric(string code)
    {
        // docs/provider-rules.md R-ERR-1: ProductUnsubscribe is documented as "The specified poolKey does not exist.", as
        // PoolKeyNotFound is: both say our pool configuration is wrong, neither is a credentials or permission fault.
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(Samples.BusinessError(code), HttpStatusCode.BadRequest);
        using var metrics = new MetricRecorder(host);

        var result = await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        Assert.Equal(new ProviderError(ProviderErrorKind.PoolNotFound, code), result.Error);
        Assert.Contains(host.Logs.Entries, e => e.StartsWith("Error", StringComparison.Ordinal) && e.Contains("PoolNotFound", StringComparison.Ordinal) && e.Contains(code, StringComparison.Ordinal));
        var call = Assert.Single(metrics.Of(AliyunTelemetry.CallsInstrument));
        Assert.Equal(code, call["aliyun.code"]);
        Assert.Equal("pool_not_found", call["aliyun.error_kind"]);
    }
}
