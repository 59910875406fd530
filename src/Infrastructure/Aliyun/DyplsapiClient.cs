using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// <see cref="IPrivacyNumberProvider"/> over Aliyun Dyplsapi 2017-05-25 (POP RPC). A typed HttpClient: each call
/// is a form POST to the endpoint, signed per attempt by <see cref="PopSigningHandler"/> inside the resilience
/// pipeline (<see cref="AliyunResilience"/>). The body is always read; every failure comes back as a
/// <see cref="ProviderError"/> holding the provider's code only.
/// </summary>
internal sealed class DyplsapiClient(
    HttpClient http,
    IOptions<AliyunOptions> options,
    TimeProvider timeProvider,
    AliyunTelemetry telemetry,
    ILogger<DyplsapiClient> logger) : IPrivacyNumberProvider
{
    public const string ApiVersion = "2017-05-25";

    private delegate bool TryMap<in TResponse, TValue>(TResponse response, [MaybeNullWhen(false)] out TValue value);

    private readonly AliyunOptions settings = options.Value;
    private readonly ChinaTime chinaTime = options.Value.CreateChinaTime();

    public Task<ProviderResult<ProviderBinding>> BindAxbAsync(AxbBindRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("PoolKey", PoolKeyOrDefault(request.PoolKey)),
            new("PhoneNoA", request.PartyA.Digits),
            new("PhoneNoB", request.PartyB.Digits),
            new("Expiration", chinaTime.Format(request.ExpiresAt)),
        };
        AddIfPresent(parameters, "OutId", request.OutId);
        AddIfPresent(parameters, "OutOrderId", request.OutOrderId);
        AddIfPresent(parameters, "ExpectCity", request.ExpectCity);
        AddIfPresent(parameters, "PhoneNoX", request.PhoneNoX);
        AddIfPresent(parameters, "IsRecordingEnabled", ToWire(request.RecordingEnabled));
        if (request.CallRestriction != CallRestriction.None)
        {
            parameters.Add(new("CallRestrict", ToWire(request.CallRestriction)));
        }

        // Never repeated after an unknown outcome: a second BindAxb could create a second binding on the
        // provider. The caller keeps the binding Pending and reconciliation finds it by OutId.
        return CallAsync<BindAxbResponse, ProviderBinding>("BindAxb", parameters, mutating: true, retryAfterUnknownOutcome: false, TryMapBinding, cancellationToken);
    }

    public Task<ProviderResult<Unit>> UpdateSubscriptionAsync(SubscriptionUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var parameters = Identify(update.Subscription, "PhoneNoX");
        var (operation, name, value) = update switch
        {
            SubscriptionUpdate.ChangePartyA a => ("updateNoA", "PhoneNoA", a.PartyA.Digits),
            SubscriptionUpdate.ChangePartyB b => ("updateNoB", "PhoneNoB", b.PartyB.Digits),
            SubscriptionUpdate.ChangeExpiry e => ("updateExpire", "Expiration", chinaTime.Format(e.ExpiresAt)),
            SubscriptionUpdate.ChangeCallRestriction c => ("updateCallRestrict", "CallRestrict", ToWire(c.Restriction, clearing: true)),
            SubscriptionUpdate.ChangeRecording r => ("updateIsRecordingEnabled", "IsRecordingEnabled", ToWire(r.Enabled)),
            SubscriptionUpdate.ChangeOutId o => ("updateOutId", "OutId", o.OutId),
            _ => throw new NotSupportedException($"{update.GetType().Name} is not an UpdateSubscription operation this client knows."),
        };
        parameters.Add(new("OperateType", operation));
        parameters.Add(new(name, value));

        // Safe to repeat after an unknown outcome: every operation sets an absolute value (this B, this expiry,
        // this restriction...), so applying it twice leaves the binding as applying it once, and nothing new is
        // created. The binding's changes are serialized by our aggregate, so a late repeat cannot undo a newer one.
        return CallAsync<DyplsapiResponse, Unit>("UpdateSubscription", parameters, mutating: true, retryAfterUnknownOutcome: true, TryMapUnit, cancellationToken);
    }

    public Task<ProviderResult<Unit>> UnbindSubscriptionAsync(SubscriptionRef subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);

        // Safe to repeat after an unknown outcome: removing a binding twice removes it once. If the first attempt
        // did apply, the repeat answers isv.SUBS_NOT_EXIST (SubscriptionNotFound), which release treats as done.
        return CallAsync<DyplsapiResponse, Unit>(
            "UnbindSubscription", Identify(subscription, "SecretNo"), mutating: true, retryAfterUnknownOutcome: true, TryMapUnit, cancellationToken);
    }

    public Task<ProviderResult<SubscriptionDetail>> QuerySubscriptionDetailAsync(SubscriptionRef subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return CallAsync<QuerySubscriptionDetailResponse, SubscriptionDetail>(
            "QuerySubscriptionDetail",
            Identify(subscription, "PhoneNoX"),
            mutating: false,
            retryAfterUnknownOutcome: true,
            (QuerySubscriptionDetailResponse response, [MaybeNullWhen(false)] out SubscriptionDetail detail) => TryMapDetail(response, subscription, out detail),
            cancellationToken);
    }

    private async Task<ProviderResult<TValue>> CallAsync<TResponse, TValue>(
        string action,
        List<KeyValuePair<string, string>> parameters,
        bool mutating,
        bool retryAfterUnknownOutcome,
        TryMap<TResponse, TValue> tryMap,
        CancellationToken cancellationToken)
        where TResponse : DyplsapiResponse
    {
        using var activity = AliyunTelemetry.ActivitySource.StartActivity($"Aliyun {action}", ActivityKind.Client);
        activity?.SetTag("aliyun.action", action);
        var started = timeProvider.GetTimestamp();
        ProviderError? error;
        TValue? value = default;
        string? providerRequestId = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, settings.Endpoint);
            request.Options.Set(AliyunCall.OptionKey, new AliyunCall(action, ApiVersion, parameters, retryAfterUnknownOutcome));
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var parsed = DyplsapiResponse.TryRead<TResponse>(body);
            providerRequestId = parsed?.RequestId;
            if (response.IsSuccessStatusCode && parsed is not null && AliyunErrorMap.IsOk(parsed.Code))
            {
                // OK without the payload the action promises: something happened that we cannot read.
                error = tryMap(parsed, out value) ? null : AliyunErrorMap.FromResponse(response.StatusCode, code: null, mutating);
            }
            else
            {
                error = AliyunErrorMap.FromResponse(response.StatusCode, parsed?.Code, mutating);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var cancelledAfter = timeProvider.GetElapsedTime(started);
            AliyunLog.CallCancelled(logger, action, (long)cancelledAfter.TotalMilliseconds);
            telemetry.Record(action, "Cancelled", "cancelled", cancelledAfter);
            activity?.SetStatus(ActivityStatusCode.Error, "Cancelled");
            throw;
        }
        catch (Exception exception) when (AliyunErrorMap.TryFromException(exception, mutating, out var mapped))
        {
            error = mapped;
        }

        var elapsed = timeProvider.GetElapsedTime(started);
        var elapsedMs = (long)elapsed.TotalMilliseconds;
        activity?.SetTag("aliyun.request_id", providerRequestId);
        if (error is null)
        {
            AliyunLog.CallSucceeded(logger, action, elapsedMs, providerRequestId ?? "-");
            telemetry.Record(action, AliyunErrorMap.Ok, "success", elapsed);
            activity?.SetTag("aliyun.code", AliyunErrorMap.Ok);
            return ProviderResult<TValue>.Success(value!);
        }

        AliyunLog.CallFailed(logger, action, error.Code, error.Kind, error.OutcomeUnknown, elapsedMs, providerRequestId ?? "-");
        telemetry.Record(action, error.Code, "failure", elapsed);
        activity?.SetTag("aliyun.code", error.Code);
        activity?.SetStatus(ActivityStatusCode.Error, error.Code);
        return ProviderResult<TValue>.Failure(error);
    }

    private static bool TryMapBinding(BindAxbResponse response, [MaybeNullWhen(false)] out ProviderBinding binding)
    {
        binding = response.SecretBind is { SubsId: { } subsId, SecretNo: { } secretNo } && !string.IsNullOrWhiteSpace(subsId) && !string.IsNullOrWhiteSpace(secretNo)
            // Extension is not applicable to AXB bindings (API-DIGEST §3.1): ignored.
            ? new ProviderBinding(subsId.Trim(), secretNo.Trim(), Extension: null)
            : null;
        return binding is not null;
    }

    private static bool TryMapUnit(DyplsapiResponse response, out Unit unit)
    {
        unit = Unit.Value;
        return true;
    }

    private bool TryMapDetail(QuerySubscriptionDetailResponse response, SubscriptionRef subscription, [MaybeNullWhen(false)] out SubscriptionDetail detail)
    {
        if (response.Detail is not { } d)
        {
            detail = null;
            return false;
        }

        detail = new SubscriptionDetail(
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
                "CONTROL_AX_DISABLE" => CallRestriction.PartyACannotCall,
                "CONTROL_BX_DISABLE" => CallRestriction.PartyBCannotCall,
                _ => CallRestriction.None, // omitted when none is set (API-DIGEST §3.9)
            },
            Extension: NullIfBlank(d.Extension),
            GroupId: d.GroupId);
        return true;
    }

    /// <summary>PoolKey, SubsId and the binding's X under the name the action uses for it (PhoneNoX or SecretNo).</summary>
    private List<KeyValuePair<string, string>> Identify(SubscriptionRef subscription, string secretNoName) =>
    [
        new("PoolKey", PoolKeyOrDefault(subscription.PoolKey)),
        new("SubsId", subscription.SubsId),
        new(secretNoName, subscription.SecretNo),
    ];

    private string PoolKeyOrDefault(string? poolKey) => string.IsNullOrWhiteSpace(poolKey) ? settings.PoolKey : poolKey;

    private static void AddIfPresent(List<KeyValuePair<string, string>> parameters, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            parameters.Add(new(name, value));
        }
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Booleans go on the wire lowercase (bool.ToString() would say "True").</summary>
    private static string ToWire(bool value) => value ? "true" : "false";

    private static string? ToWire(bool? value) => value is { } v ? ToWire(v) : null;

    private static string ToWire(CallRestriction restriction, bool clearing = false) => restriction switch
    {
        CallRestriction.PartyACannotCall => "CONTROL_AX_DISABLE",
        CallRestriction.PartyBCannotCall => "CONTROL_BX_DISABLE",
        CallRestriction.None when clearing => "CONTROL_CLEAR_DISABLE",
        _ => throw new ArgumentOutOfRangeException(nameof(restriction), restriction, "No wire value for this call restriction."),
    };
}
