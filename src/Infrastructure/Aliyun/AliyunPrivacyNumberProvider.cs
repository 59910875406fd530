using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// <see cref="IPrivacyNumberProvider"/> on top of the typed <see cref="IDyplsapiClient"/>: it translates our domain
/// requests into Dyplsapi requests (UTC → China time happens in the client, the default pool is filled in here) and
/// the responses back. Errors pass through unchanged; retries, telemetry and error mapping are the client's.
/// </summary>
internal sealed class AliyunPrivacyNumberProvider(IDyplsapiClient client, IOptions<AliyunOptions> options) : IPrivacyNumberProvider
{
    private readonly AliyunOptions settings = options.Value;
    private readonly ChinaTime chinaTime = options.Value.CreateChinaTime();

    public async Task<ProviderResult<ProviderBinding>> BindAxbAsync(AxbBindRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await client.BindAxbAsync(
            new BindAxbRequest
            {
                PoolKey = PoolKeyOrDefault(request.PoolKey),
                PhoneNoA = request.PartyA.Digits,
                PhoneNoB = request.PartyB.Digits,
                Expiration = request.ExpiresAt,
                OutId = request.OutId,
                OutOrderId = request.OutOrderId,
                ExpectCity = request.ExpectCity,
                PhoneNoX = request.PhoneNoX,
                IsRecordingEnabled = request.RecordingEnabled,
                CallRestrict = request.CallRestriction == CallRestriction.None ? null : ToWire(request.CallRestriction),
            },
            cancellationToken);

        // The client only reports success with a SubsId and a SecretNo. Extension is not applicable to AXB (§3.1).
        return result.IsSuccess
            ? new ProviderBinding(result.Value!.SecretBindDTO!.SubsId!.Trim(), result.Value.SecretBindDTO.SecretNo!.Trim(), Extension: null)
            : result.Error!;
    }

    public async Task<ProviderResult<Unit>> UpdateSubscriptionAsync(SubscriptionUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var s = update.Subscription;
        var request = new UpdateSubscriptionRequest
        {
            PoolKey = PoolKeyOrDefault(s.PoolKey),
            SubsId = s.SubsId,
            PhoneNoX = s.SecretNo,
            OperateType = string.Empty,
        };
        request = update switch
        {
            SubscriptionUpdate.ChangePartyA a => request with { OperateType = SubscriptionOperations.UpdateNoA, PhoneNoA = a.PartyA.Digits },
            SubscriptionUpdate.ChangePartyB b => request with { OperateType = SubscriptionOperations.UpdateNoB, PhoneNoB = b.PartyB.Digits },
            SubscriptionUpdate.ChangeExpiry e => request with { OperateType = SubscriptionOperations.UpdateExpire, Expiration = e.ExpiresAt },
            SubscriptionUpdate.ChangeCallRestriction c => request with { OperateType = SubscriptionOperations.UpdateCallRestrict, CallRestrict = ToWire(c.Restriction, clearing: true) },
            SubscriptionUpdate.ChangeRecording r => request with { OperateType = SubscriptionOperations.UpdateIsRecordingEnabled, IsRecordingEnabled = r.Enabled },
            SubscriptionUpdate.ChangeOutId o => request with { OperateType = SubscriptionOperations.UpdateOutId, OutId = o.OutId },
            _ => throw new NotSupportedException($"{update.GetType().Name} is not an UpdateSubscription operation this client knows."),
        };

        var result = await client.UpdateSubscriptionAsync(request, cancellationToken);
        return result.IsSuccess ? Unit.Value : result.Error!;
    }

    public async Task<ProviderResult<Unit>> UnbindSubscriptionAsync(SubscriptionRef subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var result = await client.UnbindSubscriptionAsync(
            new UnbindSubscriptionRequest { PoolKey = PoolKeyOrDefault(subscription.PoolKey), SubsId = subscription.SubsId, SecretNo = subscription.SecretNo },
            cancellationToken);
        return result.IsSuccess ? Unit.Value : result.Error!;
    }

    public async Task<ProviderResult<SubscriptionDetail>> QuerySubscriptionDetailAsync(SubscriptionRef subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var result = await client.QuerySubscriptionDetailAsync(
            new QuerySubscriptionDetailRequest { PoolKey = PoolKeyOrDefault(subscription.PoolKey), SubsId = subscription.SubsId, PhoneNoX = subscription.SecretNo },
            cancellationToken);
        return result.IsSuccess ? ToDetail(result.Value!.SecretBindDetailDTO!, subscription) : result.Error!;
    }

    private SubscriptionDetail ToDetail(SecretBindDetailDto d, SubscriptionRef subscription) => new(
        SubsId: NullIfBlank(d.SubsId) ?? subscription.SubsId,
        SecretNo: NullIfBlank(d.PhoneNoX) ?? subscription.SecretNo,
        PartyA: PhoneNumber.TryParse(d.PhoneNoA, out var a) ? a : null,
        PartyB: PhoneNumber.TryParse(d.PhoneNoB, out var b) ? b : null,
        InEffect: d.Status == 1,
        ExpiresAt: chinaTime.ParseOrNull(d.ExpireDate),
        CreatedAt: chinaTime.ParseOrNull(d.GmtCreate),
        RecordingEnabled: d.NeedRecord,
        CallRestriction: d.CallRestrict?.Trim() switch
        {
            CallRestricts.AxDisable => CallRestriction.PartyACannotCall,
            CallRestricts.BxDisable => CallRestriction.PartyBCannotCall,
            _ => CallRestriction.None, // omitted when none is set (API-DIGEST §3.9)
        },
        Extension: NullIfBlank(d.Extension),
        GroupId: d.GroupId);

    private string PoolKeyOrDefault(string? poolKey) => string.IsNullOrWhiteSpace(poolKey) ? settings.PoolKey : poolKey;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string ToWire(CallRestriction restriction, bool clearing = false) => restriction switch
    {
        CallRestriction.PartyACannotCall => CallRestricts.AxDisable,
        CallRestriction.PartyBCannotCall => CallRestricts.BxDisable,
        CallRestriction.None when clearing => CallRestricts.Clear,
        _ => throw new ArgumentOutOfRangeException(nameof(restriction), restriction, "No wire value for this call restriction."),
    };
}
