using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Tests.Aliyun.Support;
using BindingService.PopSignature;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Infrastructure.Tests.Aliyun;

public sealed class PopSigningHandlerTests
{
    private static AliyunCall Call() =>
        new("QuerySubscriptionDetail", "2017-05-25", [new("PoolKey", "FC123456"), new("SubsId", "1000000768798832"), new("PhoneNoX", "17000000000")], retryAfterUnknownOutcome: true);

    private static HttpMessageInvoker Invoker(AliyunTestHost host)
    {
        var handler = host.Services.GetRequiredService<PopSigningHandler>();
        handler.InnerHandler = host.Stub;
        return new HttpMessageInvoker(handler);
    }

    [Fact]
    public async Task Get_CarriesTheSignedParametersInTheQuery_SignedForGet()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.QueryOk);
        using var invoker = Invoker(host);
        using var request = new HttpRequestMessage(HttpMethod.Get, AliyunTestHost.Endpoint);
        request.Options.Set(AliyunCall.OptionKey, Call());

        using var response = await invoker.SendAsync(request, CancellationToken.None);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.Null(sent.Body);
        Assert.Equal("17000000000", sent["PhoneNoX"]);
        Assert.Equal("QuerySubscriptionDetail", sent["Action"]);
        Assert.True(PopSigner.Verify("GET", sent.WithoutSignature, AliyunTestHost.AccessKeySecret, sent["Signature"]));
        Assert.False(PopSigner.Verify("POST", sent.WithoutSignature, AliyunTestHost.AccessKeySecret, sent["Signature"]));
    }

    [Fact]
    public async Task Get_SentTwice_ReplacesTheQueryInsteadOfAppendingToIt()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.QueryOk);
        using var invoker = Invoker(host);
        using var request = new HttpRequestMessage(HttpMethod.Get, AliyunTestHost.Endpoint);
        request.Options.Set(AliyunCall.OptionKey, Call());

        (await invoker.SendAsync(request, CancellationToken.None)).Dispose();
        (await invoker.SendAsync(request, CancellationToken.None)).Dispose();

        var second = host.Stub.Requests[1];
        Assert.Single(second.Pairs, p => p.Key == "Signature");
        Assert.True(PopSigner.Verify("GET", second.WithoutSignature, AliyunTestHost.AccessKeySecret, second["Signature"]));
    }

    [Fact]
    public async Task ARequestWithoutACall_IsRefused_NothingUnsignedIsSent()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.QueryOk);
        using var invoker = Invoker(host);
        using var request = new HttpRequestMessage(HttpMethod.Post, AliyunTestHost.Endpoint);

        await Assert.ThrowsAsync<InvalidOperationException>(() => invoker.SendAsync(request, CancellationToken.None));
        Assert.Equal(0, host.Stub.Calls);
    }
}
