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
            SubscriptionUpdate.ChangeGroup g => request with { OperateType = SubscriptionOperations.UpdateAxgGroup, GroupId = g.GroupId },
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

    public async Task<ProviderResult<IReadOnlyList<string>>> FindSubscriptionIdsAsync(string poolKey, string secretNo, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secretNo);
        var result = await client.QuerySubsIdAsync(new QuerySubsIdRequest { PoolKey = PoolKeyOrDefault(poolKey), PhoneNoX = secretNo }, cancellationToken);
        return result.IsSuccess ? ProviderResult<IReadOnlyList<string>>.Success(result.Value!.SubsIds) : result.Error!;
    }

    public async Task<ProviderResult<ProviderBinding>> BindAsync(BindRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var poolKey = PoolKeyOrDefault(request.PoolKey);
        var callRestrict = request.CallRestriction == CallRestriction.None ? null : ToWire(request.CallRestriction);
        ProviderResult<SecretBindDto> result;
        switch (request.Product)
        {
            case BindingProduct.Axb:
                var axb = await client.BindAxbAsync(
                    new BindAxbRequest
                    {
                        PoolKey = poolKey, PhoneNoA = request.PartyA.Digits, PhoneNoB = (request.PartyB ?? throw new ArgumentException("AXB needs party B.", nameof(request))).Digits,
                        Expiration = request.ExpiresAt, OutId = request.OutId, OutOrderId = request.OutOrderId, ExpectCity = request.ExpectCity,
                        PhoneNoX = request.PhoneNoX, IsRecordingEnabled = request.RecordingEnabled, CallRestrict = callRestrict,
                    },
                    cancellationToken);
                result = axb.IsSuccess ? axb.Value!.SecretBindDTO! : axb.Error!;
                break;
            case BindingProduct.Axn:
                var axn = await client.BindAxnAsync(
                    new BindAxnRequest
                    {
                        PoolKey = poolKey, PhoneNoA = request.PartyA.Digits, PhoneNoB = request.PartyB?.Digits,
                        Expiration = request.ExpiresAt, OutId = request.OutId, OutOrderId = request.OutOrderId, ExpectCity = request.ExpectCity,
                        PhoneNoX = request.PhoneNoX, IsRecordingEnabled = request.RecordingEnabled, CallRestrict = callRestrict,
                    },
                    cancellationToken);
                result = axn.IsSuccess ? axn.Value!.SecretBindDTO! : axn.Error!;
                break;
            case BindingProduct.AxnExtension:
                var extension = await client.BindAxnExtensionAsync(
                    new BindAxnExtensionRequest
                    {
                        PoolKey = poolKey, PhoneNoA = request.PartyA.Digits, PhoneNoB = request.PartyB?.Digits, Extension = request.Extension,
                        Expiration = request.ExpiresAt, OutId = request.OutId, OutOrderId = request.OutOrderId, ExpectCity = request.ExpectCity,
                        PhoneNoX = request.PhoneNoX, IsRecordingEnabled = request.RecordingEnabled, CallRestrict = callRestrict,
                    },
                    cancellationToken);
                result = extension.IsSuccess ? extension.Value!.SecretBindDTO! : extension.Error!;
                break;
            case BindingProduct.Axg:
                var axg = await client.BindAxgAsync(
                    new BindAxgRequest
                    {
                        PoolKey = poolKey, PhoneNoA = request.PartyA.Digits, PhoneNoB = request.PartyB?.Digits,
                        GroupId = request.GroupId ?? throw new ArgumentException("AXG needs a group.", nameof(request)),
                        Expiration = request.ExpiresAt, OutId = request.OutId, OutOrderId = request.OutOrderId, ExpectCity = request.ExpectCity,
                        PhoneNoX = request.PhoneNoX, IsRecordingEnabled = request.RecordingEnabled, CallRestrict = callRestrict,
                    },
                    cancellationToken);
                result = axg.IsSuccess ? axg.Value!.SecretBindDTO! : axg.Error!;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Product, "Unknown product.");
        }

        // The client only reports success with a SubsId and a SecretNo; Extension matters for AXN extension only.
        return result.IsSuccess
            ? new ProviderBinding(
                result.Value!.SubsId!.Trim(),
                result.Value.SecretNo!.Trim(),
                request.Product == BindingProduct.AxnExtension ? NullIfBlank(result.Value.Extension) ?? request.Extension : null)
            : result.Error!;
    }

    public async Task<ProviderResult<Unit>> AttachTrackingNumberAsync(SubscriptionRef subscription, string trackingNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var result = await client.AddAxnTrackNoAsync(
            new AddAxnTrackNoRequest { PoolKey = PoolKeyOrDefault(subscription.PoolKey), PhoneNoX = subscription.SecretNo, SubsId = subscription.SubsId, TrackNo = trackingNumber },
            cancellationToken);
        return result.IsSuccess ? Unit.Value : result.Error!;
    }

    public async Task<ProviderResult<IReadOnlyList<TrackedBinding>>> FindByTrackingNumberAsync(string trackingNumber, string? secretNo, CancellationToken cancellationToken)
    {
        var result = await client.QueryPhoneNoAByTrackNoAsync(new QueryPhoneNoAByTrackNoRequest { TrackNo = trackingNumber, PhoneNoX = secretNo }, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!;
        }

        return (result.Value!.Module ?? [])
            .Where(m => !string.IsNullOrWhiteSpace(m.PhoneNoX))
            .Select(m => new TrackedBinding(m.PhoneNoX!.Trim(), NullIfBlank(m.Extension), PhoneNumber.TryParse(m.PhoneNoA, out var a) ? a : null))
            .ToList();
    }

    public async Task<ProviderResult<long>> CreateGroupAsync(string poolKey, string? name, string? remark, IReadOnlyList<PhoneNumber> members, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        var result = await client.CreateAxgGroupAsync(
            new CreateAxgGroupRequest { PoolKey = PoolKeyOrDefault(poolKey), Name = name, Remark = remark, Numbers = members.Count == 0 ? null : [.. members.Select(m => m.Digits)] },
            cancellationToken);
        return result.IsSuccess ? result.Value!.GroupId!.Value : result.Error!;
    }

    public async Task<ProviderResult<Unit>> ChangeGroupMembersAsync(
        string poolKey, long groupId, GroupMembersOperation operation, IReadOnlyList<PhoneNumber> numbers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var result = await client.OperateAxgGroupAsync(
            new OperateAxgGroupRequest
            {
                PoolKey = PoolKeyOrDefault(poolKey),
                GroupId = groupId,
                OperateType = operation switch
                {
                    GroupMembersOperation.Add => AxgGroupOperations.AddNumbers,
                    GroupMembersOperation.Delete => AxgGroupOperations.DeleteNumbers,
                    GroupMembersOperation.Overwrite => AxgGroupOperations.OverwriteNumbers,
                    _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
                },
                Numbers = [.. numbers.Select(n => n.Digits)],
            },
            cancellationToken);
        return result.IsSuccess ? Unit.Value : result.Error!;
    }

    public async Task<ProviderResult<SecretNumberInfo>> QuerySecretNumberAsync(string poolKey, string secretNo, CancellationToken cancellationToken)
    {
        var result = await client.QuerySecretNoDetailAsync(new QuerySecretNoDetailRequest { PoolKey = PoolKeyOrDefault(poolKey), SecretNo = secretNo }, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!;
        }

        var d = result.Value!.SecretNoInfoDTO!;
        return new SecretNumberInfo(
            secretNo,
            NullIfBlank(d.City),
            NullIfBlank(d.Province),
            d.SecretStatus switch
            {
                0 => SecretNumberStatus.Unbound,
                1 => SecretNumberStatus.Bound,
                2 => SecretNumberStatus.Locked,
                3 => SecretNumberStatus.Frozen,
                _ => SecretNumberStatus.Unknown,
            });
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
            _ => CallRestriction.None, // omitted when none is set (docs/provider-rules.md R-QRY-1)
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
