using BindingService.Domain.Bindings;
using BindingService.Domain.Common;

namespace BindingService.Application.Abstractions;

/// <summary>
/// The capability we buy from Aliyun's Phone Number Protection (Dyplsapi 2017-05-25): bind two
/// parties through a virtual number X, change, end and inspect such bindings. Times are UTC here;
/// the adapter converts to China time at its boundary. Expected failures come back as a
/// <see cref="ProviderError"/>, never as an exception and never with the provider's raw message.
/// </summary>
public interface IPrivacyNumberProvider
{
    /// <summary>UpdateSubscription with exactly one change.</summary>
    Task<ProviderResult<Unit>> UpdateSubscriptionAsync(SubscriptionUpdate update, CancellationToken cancellationToken);

    /// <summary>UnbindSubscription.</summary>
    Task<ProviderResult<Unit>> UnbindSubscriptionAsync(SubscriptionRef subscription, CancellationToken cancellationToken);

    /// <summary>QuerySubscriptionDetail.</summary>
    Task<ProviderResult<SubscriptionDetail>> QuerySubscriptionDetailAsync(SubscriptionRef subscription, CancellationToken cancellationToken);

    /// <summary>QuerySubsId: the SubsIds of the bindings in effect on X (empty when none). Reconciliation walks X numbers with it.</summary>
    Task<ProviderResult<IReadOnlyList<string>>> FindSubscriptionIdsAsync(string poolKey, string secretNo, CancellationToken cancellationToken);

    /// <summary>
    /// BindAxb, BindAxn, BindAxnExtension or BindAxg, by <see cref="BindRequest.Product"/>. Not retried on an unknown
    /// outcome (a repeat could create a second binding): the caller settles that by reconciliation.
    /// </summary>
    Task<ProviderResult<ProviderBinding>> BindAsync(BindRequest request, CancellationToken cancellationToken);

    /// <summary>AddAxnTrackNo: attaches a delivery's tracking number to an AXN (or AXN-extension) binding.</summary>
    Task<ProviderResult<Unit>> AttachTrackingNumberAsync(SubscriptionRef subscription, string trackingNumber, CancellationToken cancellationToken);

    /// <summary>QueryPhoneNoAByTrackNo: the bindings a tracking number was attached to (optionally only on X).</summary>
    Task<ProviderResult<IReadOnlyList<TrackedBinding>>> FindByTrackingNumberAsync(string trackingNumber, string? secretNo, CancellationToken cancellationToken);

    /// <summary>CreateAxgGroup: a new G group in an AXG pool; returns the provider's GroupId.</summary>
    Task<ProviderResult<long>> CreateGroupAsync(string poolKey, string? name, string? remark, IReadOnlyList<PhoneNumber> members, CancellationToken cancellationToken);

    /// <summary>OperateAxgGroup: adds, deletes or overwrites (at most 200) members of a G group.</summary>
    Task<ProviderResult<Unit>> ChangeGroupMembersAsync(string poolKey, long groupId, GroupMembersOperation operation, IReadOnlyList<PhoneNumber> numbers, CancellationToken cancellationToken);

    /// <summary>QuerySecretNoDetail: an X number's attributes in a pool (inventory synchronisation).</summary>
    Task<ProviderResult<SecretNumberInfo>> QuerySecretNumberAsync(string poolKey, string secretNo, CancellationToken cancellationToken);
}

/// <summary>A bind of any product. <paramref name="OutId"/> is our binding id, echoed in call receipts.</summary>
public sealed record BindRequest(
    BindingProduct Product,
    string PoolKey,
    PhoneNumber PartyA,
    PhoneNumber? PartyB,
    DateTimeOffset ExpiresAt,
    string OutId,
    string? OutOrderId = null,
    string? ExpectCity = null,
    string? PhoneNoX = null,
    bool? RecordingEnabled = null,
    CallRestriction CallRestriction = CallRestriction.None,
    string? Extension = null,
    long? GroupId = null);

/// <summary>A binding a tracking number leads to. A is null when the provider returned it masked or malformed.</summary>
public sealed record TrackedBinding(string SecretNo, string? Extension, PhoneNumber? PartyA);

/// <summary>OperateAxgGroup's OperateType.</summary>
public enum GroupMembersOperation
{
    Add,
    Delete,
    Overwrite,
}

/// <summary>QuerySecretNoDetail's SecretNoInfoDTO, in our words.</summary>
public sealed record SecretNumberInfo(string SecretNo, string? City, string? Province, SecretNumberStatus Status);

/// <summary>SecretStatus (docs/provider-rules.md R-NUM-5).</summary>
public enum SecretNumberStatus
{
    Unbound,
    Bound,
    Locked,
    Frozen,
    Unknown,
}

/// <summary>What the provider created: its subscription id and the virtual number X.</summary>
public sealed record ProviderBinding(string SubsId, string SecretNo, string? Extension);

/// <summary>Identifies a provider-side binding (UpdateSubscription / UnbindSubscription / QuerySubscriptionDetail).</summary>
public sealed record SubscriptionRef(string PoolKey, string SubsId, string SecretNo);

/// <summary>One UpdateSubscription operation (OperateType).</summary>
public abstract record SubscriptionUpdate(SubscriptionRef Subscription)
{
    /// <summary>updateNoA</summary>
    public sealed record ChangePartyA(SubscriptionRef Subscription, PhoneNumber PartyA) : SubscriptionUpdate(Subscription);

    /// <summary>updateNoB</summary>
    public sealed record ChangePartyB(SubscriptionRef Subscription, PhoneNumber PartyB) : SubscriptionUpdate(Subscription);

    /// <summary>updateExpire</summary>
    public sealed record ChangeExpiry(SubscriptionRef Subscription, DateTimeOffset ExpiresAt) : SubscriptionUpdate(Subscription);

    /// <summary>updateCallRestrict (None clears it with CONTROL_CLEAR_DISABLE)</summary>
    public sealed record ChangeCallRestriction(SubscriptionRef Subscription, CallRestriction Restriction) : SubscriptionUpdate(Subscription);

    /// <summary>updateIsRecordingEnabled</summary>
    public sealed record ChangeRecording(SubscriptionRef Subscription, bool Enabled) : SubscriptionUpdate(Subscription);

    /// <summary>updateOutId</summary>
    public sealed record ChangeOutId(SubscriptionRef Subscription, string OutId) : SubscriptionUpdate(Subscription);

    /// <summary>updateAxgGroup (AXG bindings)</summary>
    public sealed record ChangeGroup(SubscriptionRef Subscription, long GroupId) : SubscriptionUpdate(Subscription);
}

/// <summary>QuerySubscriptionDetail's SecretBindDetailDTO. Numbers the provider returns masked or malformed are null.</summary>
public sealed record SubscriptionDetail(
    string SubsId,
    string SecretNo,
    PhoneNumber? PartyA,
    PhoneNumber? PartyB,
    bool InEffect,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? CreatedAt,
    bool? RecordingEnabled,
    CallRestriction CallRestriction,
    string? Extension,
    long? GroupId);

/// <summary>What kind of failure the provider reported, in our own words.</summary>
public enum ProviderErrorKind
{
    /// <summary>Our request was malformed or refused as invalid (isv.INVALID_PARAMETERS, isv.ILLEGAL_ARGUMENT, Missing*).</summary>
    InvalidRequest,

    /// <summary>isv.MOBILE_NUMBER_ILLEGAL.</summary>
    PhoneNumberIllegal,

    /// <summary>isv.EXPIRE_DATE_ILLEGAL.</summary>
    ExpiryIllegal,

    /// <summary>isv.NO_AVAILABLE_NUMBER: no X can be chosen in the pool (or city).</summary>
    NoNumberAvailable,

    /// <summary>isv.BIND_CONFLICT: A or B already has a binding on that X.</summary>
    BindConflict,

    /// <summary>isv.SUBS_NOT_EXIST.</summary>
    SubscriptionNotFound,

    /// <summary>isv.FORBIDDEN_ACTION, isv.NO_NOT_EXIST: refused for this pool/number/state.</summary>
    Forbidden,

    /// <summary>Throttling.*, isv.FLOW_LIMIT, FlowLimited, System.LimitControl.</summary>
    Throttled,

    /// <summary>isp.*, 5xx, connection failures, timeouts, open circuit: try again later.</summary>
    Unavailable,

    /// <summary>Signature, access key, timestamp or permission failures: our configuration is wrong.</summary>
    AuthenticationFailed,

    /// <summary>Any other code.</summary>
    Unknown,

    /// <summary>
    /// The pool key does not exist at the provider (isv.POOLKEY_NOT_EXISTS, PoolKeyNotFound, ProductUnsubscribe): our
    /// pool configuration is wrong, and no call to that pool can succeed until an operator fixes it.
    /// </summary>
    PoolNotFound,
}

/// <summary>
/// A provider failure. <paramref name="Code"/> is the provider's code, for logs and metrics only.
/// <paramref name="OutcomeUnknown"/> is true when the request may have taken effect (timeout,
/// connection lost after sending): a bind in that state must be settled by reconciliation.
/// </summary>
public sealed record ProviderError(ProviderErrorKind Kind, string Code, bool OutcomeUnknown = false);

/// <summary>The unit value, for operations that return nothing but success.</summary>
public readonly record struct Unit
{
    public static readonly Unit Value;
}

public readonly record struct ProviderResult<T>
{
    private ProviderResult(T? value, ProviderError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public ProviderError? Error { get; }

    public bool IsSuccess => Error is null;

    public static ProviderResult<T> Success(T value) => new(value, null);

    public static ProviderResult<T> Failure(ProviderError error) => new(default, error);

    public static implicit operator ProviderResult<T>(T value) => Success(value);

    public static implicit operator ProviderResult<T>(ProviderError error) => Failure(error);
}
