using BindingService.Application.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// Typed client of Aliyun Dytnsapi 2020-02-17 (docs/provider-rules.md, 'Endpoint and version', 'Actions'): PhoneNumberEncrypt, posted to
/// <c>Aliyun:Dytnsapi:Endpoint</c> and signed with the Dytnsapi credentials, through its own resilience pipeline.
/// </summary>
public interface IDytnsapiClient
{
    /// <summary>PhoneNumberEncrypt (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<PhoneNumberEncryptResponse>> PhoneNumberEncryptAsync(PhoneNumberEncryptRequest request, CancellationToken cancellationToken);
}

/// <summary>The <see cref="IDytnsapiClient"/> over the typed HttpClient <see cref="AliyunServiceCollectionExtensions.DytnsapiHttpClientName"/>.</summary>
internal sealed class DytnsapiClient(
    HttpClient http,
    IOptions<AliyunOptions> options,
    TimeProvider timeProvider,
    AliyunTelemetry telemetry,
    ILogger<DytnsapiClient> logger) : IDytnsapiClient
{
    private readonly PopRpcCaller rpc = new(
        http, AliyunProduct.Dytnsapi, options.Value.Dytnsapi.Endpoint, options.Value.CreateChinaTime(), timeProvider, telemetry, logger);

    public Task<ProviderResult<PhoneNumberEncryptResponse>> PhoneNumberEncryptAsync(PhoneNumberEncryptRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);
}
