using BindingService.Application.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// Typed client of Aliyun Dyplsapi 2017-05-25 (docs/provider-rules.md, 'Actions'): one method per action. Each returns the
/// action's response on success (<c>Code == OK</c>, or <c>HttpStatusCode == 200</c> for the two waybill creations:
/// R-FMT-3) and a <see cref="ProviderError"/> holding the provider's code otherwise; never an exception for a
/// provider or network failure. A missing required parameter is a bug and throws <see cref="ArgumentException"/>.
/// Calls go through the Dyplsapi resilience pipeline (per-action timeout and rate limit, retries where a repeat is
/// safe, circuit breaker: <see cref="AliyunResilience"/>).
/// </summary>
public interface IDyplsapiClient
{
    /// <summary>BindAxb (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<BindAxbResponse>> BindAxbAsync(BindAxbRequest request, CancellationToken cancellationToken);

    /// <summary>BindAxn (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<BindAxnResponse>> BindAxnAsync(BindAxnRequest request, CancellationToken cancellationToken);

    /// <summary>BindAxnExtension (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<BindAxnExtensionResponse>> BindAxnExtensionAsync(BindAxnExtensionRequest request, CancellationToken cancellationToken);

    /// <summary>BindAxg (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<BindAxgResponse>> BindAxgAsync(BindAxgRequest request, CancellationToken cancellationToken);

    /// <summary>CreateAxgGroup (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<CreateAxgGroupResponse>> CreateAxgGroupAsync(CreateAxgGroupRequest request, CancellationToken cancellationToken);

    /// <summary>OperateAxgGroup (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<PopResponse>> OperateAxgGroupAsync(OperateAxgGroupRequest request, CancellationToken cancellationToken);

    /// <summary>UpdateSubscription (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<PopResponse>> UpdateSubscriptionAsync(UpdateSubscriptionRequest request, CancellationToken cancellationToken);

    /// <summary>UnbindSubscription (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<UnbindSubscriptionResponse>> UnbindSubscriptionAsync(UnbindSubscriptionRequest request, CancellationToken cancellationToken);

    /// <summary>QuerySubscriptionDetail (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<QuerySubscriptionDetailResponse>> QuerySubscriptionDetailAsync(QuerySubscriptionDetailRequest request, CancellationToken cancellationToken);

    /// <summary>QuerySubsId (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<QuerySubsIdResponse>> QuerySubsIdAsync(QuerySubsIdRequest request, CancellationToken cancellationToken);

    /// <summary>QuerySecretNoDetail (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<QuerySecretNoDetailResponse>> QuerySecretNoDetailAsync(QuerySecretNoDetailRequest request, CancellationToken cancellationToken);

    /// <summary>ConfirmSendSms (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<ConfirmSendSmsResponse>> ConfirmSendSmsAsync(ConfirmSendSmsRequest request, CancellationToken cancellationToken);

    /// <summary>QueryRecordFileDownloadUrl (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<QueryRecordFileDownloadUrlResponse>> QueryRecordFileDownloadUrlAsync(QueryRecordFileDownloadUrlRequest request, CancellationToken cancellationToken);

    /// <summary>GetTotalPublicUrl (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<GetTotalPublicUrlResponse>> GetTotalPublicUrlAsync(GetTotalPublicUrlRequest request, CancellationToken cancellationToken);

    /// <summary>GetSecretAsrDetail (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<GetSecretAsrDetailResponse>> GetSecretAsrDetailAsync(GetSecretAsrDetailRequest request, CancellationToken cancellationToken);

    /// <summary>QuerySecretNoRemain (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<QuerySecretNoRemainResponse>> QuerySecretNoRemainAsync(QuerySecretNoRemainRequest request, CancellationToken cancellationToken);

    /// <summary>BuySecretNo (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<BuySecretNoResponse>> BuySecretNoAsync(BuySecretNoRequest request, CancellationToken cancellationToken);

    /// <summary>ReleaseSecretNo (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<PopResponse>> ReleaseSecretNoAsync(ReleaseSecretNoRequest request, CancellationToken cancellationToken);

    /// <summary>OperateBlackNo (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<PopResponse>> OperateBlackNoAsync(OperateBlackNoRequest request, CancellationToken cancellationToken);

    /// <summary>LockSecretNo (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<PopResponse>> LockSecretNoAsync(LockSecretNoRequest request, CancellationToken cancellationToken);

    /// <summary>UnlockSecretNo (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<PopResponse>> UnlockSecretNoAsync(UnlockSecretNoRequest request, CancellationToken cancellationToken);

    /// <summary>AddSecretBlacklist (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<PopResponse>> AddSecretBlacklistAsync(AddSecretBlacklistRequest request, CancellationToken cancellationToken);

    /// <summary>DeleteSecretBlacklist (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<PopResponse>> DeleteSecretBlacklistAsync(DeleteSecretBlacklistRequest request, CancellationToken cancellationToken);

    /// <summary>QueryPhoneNoAByTrackNo (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<QueryPhoneNoAByTrackNoResponse>> QueryPhoneNoAByTrackNoAsync(QueryPhoneNoAByTrackNoRequest request, CancellationToken cancellationToken);

    /// <summary>AddAxnTrackNo (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<PopResponse>> AddAxnTrackNoAsync(AddAxnTrackNoRequest request, CancellationToken cancellationToken);

    /// <summary>CreatePickUpWaybill (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<CreatePickUpWaybillResponse>> CreatePickUpWaybillAsync(CreatePickUpWaybillRequest request, CancellationToken cancellationToken);

    /// <summary>CancelPickUpWaybill (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<CancelPickUpWaybillResponse>> CancelPickUpWaybillAsync(CancelPickUpWaybillRequest request, CancellationToken cancellationToken);

    /// <summary>CreatePickUpWaybillPreQuery (docs/provider-rules.md, 'Actions').</summary>
    Task<ProviderResult<CreatePickUpWaybillPreQueryResponse>> CreatePickUpWaybillPreQueryAsync(CreatePickUpWaybillPreQueryRequest request, CancellationToken cancellationToken);
}

/// <summary>The <see cref="IDyplsapiClient"/> over the typed HttpClient <see cref="AliyunServiceCollectionExtensions.HttpClientName"/>.</summary>
internal sealed class DyplsapiClient(
    HttpClient http,
    IOptions<AliyunOptions> options,
    TimeProvider timeProvider,
    AliyunTelemetry telemetry,
    ILogger<DyplsapiClient> logger) : IDyplsapiClient
{
    private readonly PopRpcCaller rpc = new(
        http, AliyunProduct.Dyplsapi, options.Value.Endpoint, options.Value.CreateChinaTime(), timeProvider, telemetry, logger);

    public Task<ProviderResult<BindAxbResponse>> BindAxbAsync(BindAxbRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<BindAxnResponse>> BindAxnAsync(BindAxnRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<BindAxnExtensionResponse>> BindAxnExtensionAsync(BindAxnExtensionRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<BindAxgResponse>> BindAxgAsync(BindAxgRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<CreateAxgGroupResponse>> CreateAxgGroupAsync(CreateAxgGroupRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<PopResponse>> OperateAxgGroupAsync(OperateAxgGroupRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<PopResponse>> UpdateSubscriptionAsync(UpdateSubscriptionRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<UnbindSubscriptionResponse>> UnbindSubscriptionAsync(UnbindSubscriptionRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<QuerySubscriptionDetailResponse>> QuerySubscriptionDetailAsync(QuerySubscriptionDetailRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<QuerySubsIdResponse>> QuerySubsIdAsync(QuerySubsIdRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<QuerySecretNoDetailResponse>> QuerySecretNoDetailAsync(QuerySecretNoDetailRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<ConfirmSendSmsResponse>> ConfirmSendSmsAsync(ConfirmSendSmsRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<QueryRecordFileDownloadUrlResponse>> QueryRecordFileDownloadUrlAsync(QueryRecordFileDownloadUrlRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<GetTotalPublicUrlResponse>> GetTotalPublicUrlAsync(GetTotalPublicUrlRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<GetSecretAsrDetailResponse>> GetSecretAsrDetailAsync(GetSecretAsrDetailRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<QuerySecretNoRemainResponse>> QuerySecretNoRemainAsync(QuerySecretNoRemainRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<BuySecretNoResponse>> BuySecretNoAsync(BuySecretNoRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<PopResponse>> ReleaseSecretNoAsync(ReleaseSecretNoRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<PopResponse>> OperateBlackNoAsync(OperateBlackNoRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<PopResponse>> LockSecretNoAsync(LockSecretNoRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<PopResponse>> UnlockSecretNoAsync(UnlockSecretNoRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<PopResponse>> AddSecretBlacklistAsync(AddSecretBlacklistRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<PopResponse>> DeleteSecretBlacklistAsync(DeleteSecretBlacklistRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<QueryPhoneNoAByTrackNoResponse>> QueryPhoneNoAByTrackNoAsync(QueryPhoneNoAByTrackNoRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<PopResponse>> AddAxnTrackNoAsync(AddAxnTrackNoRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<CreatePickUpWaybillResponse>> CreatePickUpWaybillAsync(CreatePickUpWaybillRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<CancelPickUpWaybillResponse>> CancelPickUpWaybillAsync(CancelPickUpWaybillRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);

    public Task<ProviderResult<CreatePickUpWaybillPreQueryResponse>> CreatePickUpWaybillPreQueryAsync(CreatePickUpWaybillPreQueryRequest request, CancellationToken cancellationToken) =>
        rpc.CallAsync(request, cancellationToken);
}
