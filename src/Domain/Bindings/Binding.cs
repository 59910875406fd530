using BindingService.Domain.Bindings.Events;
using BindingService.Domain.Common;

namespace BindingService.Domain.Bindings;

/// <summary>
/// A protection of one order: parties A and B reach each other through a virtual number X.
/// State changes only through the intent-named methods below; each records exactly one event.
/// </summary>
public sealed class Binding : AggregateRoot
{
    private Binding()
    {
        // For EF Core materialisation.
        CallerId = null!;
        OrderId = null!;
        PoolKey = null!;
        PartyA = null!;
    }

    private Binding(BindingId id, OrderKey order, BindingProduct product, string poolKey, PhoneNumber partyA, PhoneNumber? partyB, BindingSettings settings, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        Id = id;
        CallerId = order.CallerId;
        BusinessLine = order.BusinessLine;
        OrderId = order.OrderId;
        Product = product;
        PoolKey = poolKey;
        PartyA = partyA;
        PartyB = partyB;
        ExpectCity = settings.ExpectCity;
        Extension = settings.Extension;
        GroupId = settings.GroupId;
        RecordingEnabled = settings.RecordingEnabled;
        CallRestriction = settings.CallRestriction;
        ExpiresAt = expiresAt;
        Status = BindingStatus.Pending;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public BindingId Id { get; private set; }

    public string CallerId { get; private set; }

    public BusinessLine BusinessLine { get; private set; }

    public string OrderId { get; private set; }

    /// <summary>The order this binding protects.</summary>
    public OrderKey Order => new(CallerId, BusinessLine, OrderId);

    public BindingProduct Product { get; private set; }

    public string PoolKey { get; private set; }

    public PhoneNumber PartyA { get; private set; }

    /// <summary>B: the other party of an AXB binding, the optional callee of A for AXN/AXN-extension/AXG.</summary>
    public PhoneNumber? PartyB { get; private set; }

    public string? ExpectCity { get; private set; }

    /// <summary>AXN extension: the extension after X that reaches A (requested, or allocated by the provider).</summary>
    public string? Extension { get; private set; }

    /// <summary>AXG: the G group whose members reach A through X.</summary>
    public long? GroupId { get; private set; }

    /// <summary>Whether the provider records calls of this binding.</summary>
    public bool RecordingEnabled { get; private set; }

    public CallRestriction CallRestriction { get; private set; }

    /// <summary>When the business order completed (ride ended); the binding then lives on for a grace period.</summary>
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>The delivery's tracking number, once attached at the provider (AddAxnTrackNo).</summary>
    public string? TrackingNumber { get; private set; }

    public BindingStatus Status { get; private set; }

    /// <summary>The provider's subscription id, once Active.</summary>
    public string? SubsId { get; private set; }

    /// <summary>The virtual number X, once Active. Not personal data: it is what callers dial.</summary>
    public string? SecretNo { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>Our error code when Failed (never the provider's text).</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Optimistic concurrency token.</summary>
    public int Version { get; private set; }

    /// <summary>Records the intent to protect an order with an AXB binding. Nothing is sent yet.</summary>
    public static Binding RequestAxb(OrderKey order, string poolKey, PhoneNumber partyA, PhoneNumber partyB, string? expectCity, DateTimeOffset expiresAt, DateTimeOffset now) =>
        Request(order, BindingProduct.Axb, poolKey, partyA, partyB, new BindingSettings { ExpectCity = expectCity }, expiresAt, now);

    /// <summary>
    /// Records the intent to protect an order with a binding of <paramref name="product"/>. Nothing is sent yet.
    /// AXB needs B; AXG needs a group; A and B must differ.
    /// </summary>
    public static Binding Request(
        OrderKey order, BindingProduct product, string poolKey, PhoneNumber partyA, PhoneNumber? partyB, BindingSettings settings, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentException.ThrowIfNullOrWhiteSpace(poolKey);
        ArgumentNullException.ThrowIfNull(partyA);
        ArgumentNullException.ThrowIfNull(settings);

        if (partyB is null && product == BindingProduct.Axb)
        {
            throw new DomainException("binding.party_b_required", "An AXB binding needs party B.");
        }

        if (settings.GroupId is null && product == BindingProduct.Axg)
        {
            throw new DomainException("binding.group_required", "An AXG binding needs a G group.");
        }

        if (partyA == partyB)
        {
            throw new DomainException("binding.same_parties", "Party A and party B must be different numbers.");
        }

        if (expiresAt <= now)
        {
            throw new DomainException("binding.expiry_in_past", "The expiry must be in the future.");
        }

        var normalized = settings with
        {
            Extension = product == BindingProduct.AxnExtension ? settings.Extension : null,
            GroupId = product == BindingProduct.Axg ? settings.GroupId : null,
        };
        return new Binding(BindingId.New(), order, product, poolKey, partyA, partyB, normalized, ToTheSecond(expiresAt), Stored(now));
    }

    /// <summary>The binding's values now, for an event or a view that must not change when the binding does.</summary>
    public BindingSnapshot Snapshot() => new(
        Id, Order, Product, PoolKey, PartyA, PartyB, SubsId, SecretNo, Extension, GroupId, RecordingEnabled, CallRestriction,
        TrackingNumber, CompletedAt, ExpiresAt, Status, Version);

    /// <summary>
    /// True when the binding is Active but its expiry has passed (no sweeper has ended it yet). Such a binding is never
    /// shown or changed as if it were alive: whoever meets it ends it first (<see cref="Expire"/>).
    /// </summary>
    public bool IsDue(DateTimeOffset now) => Status == BindingStatus.Active && ExpiresAt <= now;

    /// <summary>True when this binding joins exactly these two parties, in these roles.</summary>
    public bool Joins(PhoneNumber partyA, PhoneNumber? partyB) => PartyA == partyA && PartyB == partyB;

    /// <summary>The provider created the binding (with the extension it allocated, for AXN extension).</summary>
    public void Activate(string subsId, string secretNo, DateTimeOffset now, string? extension = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subsId);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretNo);
        EnsureStatus(BindingStatus.Pending, "activate");

        SubsId = subsId;
        SecretNo = secretNo;
        if (Product == BindingProduct.AxnExtension && !string.IsNullOrWhiteSpace(extension))
        {
            Extension = extension;
        }

        Status = BindingStatus.Active;
        Touch(now);
        Raise(new BindingActivated(Snapshot(), now));
    }

    /// <summary>The provider refused the binding definitively.</summary>
    public void Fail(string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        EnsureStatus(BindingStatus.Pending, "fail");

        FailureReason = reason;
        Status = BindingStatus.Failed;
        EndedAt = Stored(now);
        Touch(now);
        Raise(new BindingFailed(Snapshot(), reason, now));
    }

    /// <summary>B is now <paramref name="partyB"/> (driver reassigned, courier changed). False when it already is.</summary>
    public bool ReassignPartyB(PhoneNumber partyB, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(partyB);
        EnsureChangeable("reassign");
        if (partyB == PartyA)
        {
            throw new DomainException("binding.same_parties", "Party A and party B must be different numbers.");
        }

        if (partyB == PartyB)
        {
            return false;
        }

        PartyB = partyB;
        return Changed(now, BindingChange.PartyB);
    }

    /// <summary>The binding now ends at <paramref name="expiresAt"/> (extended or shortened). False when it already does.</summary>
    public bool ChangeExpiry(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        EnsureChangeable("change the expiry of");
        var expiry = ToTheSecond(expiresAt);
        if (expiry <= now)
        {
            throw new DomainException("binding.expiry_in_past", "The expiry must be in the future.");
        }

        if (expiry == ExpiresAt)
        {
            return false;
        }

        ExpiresAt = expiry;
        return Changed(now, BindingChange.ExpiresAt);
    }

    /// <summary>Calls are recorded from now on, or no longer. False when nothing changes.</summary>
    public bool SetRecording(bool enabled, DateTimeOffset now)
    {
        EnsureChangeable("change the recording of");
        if (enabled == RecordingEnabled)
        {
            return false;
        }

        RecordingEnabled = enabled;
        return Changed(now, BindingChange.Recording);
    }

    /// <summary>Sets or clears the one-way call restriction. False when nothing changes.</summary>
    public bool SetCallRestriction(CallRestriction restriction, DateTimeOffset now)
    {
        EnsureChangeable("restrict calls of");
        if (restriction == CallRestriction)
        {
            return false;
        }

        CallRestriction = restriction;
        return Changed(now, BindingChange.CallRestriction);
    }

    /// <summary>AXG: G members now reach A through <paramref name="groupId"/>. False when nothing changes.</summary>
    public bool ChangeGroup(long groupId, DateTimeOffset now)
    {
        EnsureChangeable("change the group of");
        if (Product != BindingProduct.Axg)
        {
            throw new DomainException("binding.not_axg", "Only an AXG binding has a G group.");
        }

        if (groupId == GroupId)
        {
            return false;
        }

        GroupId = groupId;
        return Changed(now, BindingChange.GroupId);
    }

    /// <summary>The delivery's tracking number is attached at the provider. False when it already is.</summary>
    public bool AttachTrackingNumber(string trackingNumber, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trackingNumber);
        EnsureChangeable("attach a tracking number to");
        if (Product is not (BindingProduct.Axn or BindingProduct.AxnExtension))
        {
            throw new DomainException("binding.not_axn", "Tracking numbers attach to AXN and AXN-extension bindings only.");
        }

        if (trackingNumber == TrackingNumber)
        {
            return false;
        }

        TrackingNumber = trackingNumber;
        return Changed(now, BindingChange.TrackingNumber);
    }

    /// <summary>
    /// The business order completed (trip ended): the binding stays usable until <paramref name="graceUntil"/>
    /// (lost-item calls), then ends. False when it was already completed.
    /// </summary>
    public bool Complete(DateTimeOffset graceUntil, DateTimeOffset now)
    {
        EnsureChangeable("complete");
        if (CompletedAt is not null)
        {
            return false;
        }

        var expiry = ToTheSecond(graceUntil);
        if (expiry <= now)
        {
            throw new DomainException("binding.expiry_in_past", "The grace period must end in the future.");
        }

        CompletedAt = Stored(now);
        var changes = new List<BindingChange> { BindingChange.Completed };
        if (expiry != ExpiresAt)
        {
            ExpiresAt = expiry;
            changes.Add(BindingChange.ExpiresAt);
        }

        return Changed(now, [.. changes]);
    }

    /// <summary>Ended early by the caller; the provider side has been unbound.</summary>
    public void Release(ReleaseReason reason, DateTimeOffset now)
    {
        EnsureStatus(BindingStatus.Active, "release");

        Status = BindingStatus.Released;
        EndedAt = Stored(now);
        Touch(now);
        Raise(new BindingReleased(Snapshot(), reason, now));
    }

    /// <summary>Reached its expiry; the provider expires its side by itself.</summary>
    public void Expire(DateTimeOffset now)
    {
        EnsureStatus(BindingStatus.Active, "expire");
        if (ExpiresAt > now)
        {
            throw new DomainException("binding.not_due", "The binding has not reached its expiry.");
        }

        Status = BindingStatus.Expired;
        EndedAt = Stored(now);
        Touch(now);
        Raise(new BindingExpired(Snapshot(), now));
    }

    /// <summary>Only an Active binding that has not expired can change.</summary>
    private void EnsureChangeable(string action)
    {
        EnsureStatus(BindingStatus.Active, action);
    }

    private bool Changed(DateTimeOffset now, params BindingChange[] changes)
    {
        Touch(now);
        Raise(new BindingUpdated(Snapshot(), changes, now));
        return true;
    }

    /// <summary>
    /// The provider keeps expiries to the second (no fractions); we keep exactly what it keeps. The one definition of
    /// "truncate to the second": every expiry we store or send goes through it.
    /// </summary>
    public static DateTimeOffset ToTheSecond(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private void EnsureStatus(BindingStatus expected, string action)
    {
        if (Status != expected)
        {
            throw new DomainException("binding.illegal_transition", $"Cannot {action} a binding that is {Status}.");
        }
    }

    /// <summary>Times are kept in UTC at the database's precision (microseconds), so what we answer now equals what we read later.</summary>
    private static DateTimeOffset Stored(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = Stored(now);
        Version++;
    }
}

public enum BindingProduct
{
    /// <summary>A and B reach each other through X.</summary>
    Axb,

    /// <summary>Anyone calling X reaches A; A calling X reaches B when set. X is dedicated to A.</summary>
    Axn,

    /// <summary>Anyone calling X plus the extension reaches A; A calling X reaches B when set.</summary>
    AxnExtension,

    /// <summary>Members of a G group calling X reach A.</summary>
    Axg,
}

/// <summary>What a binding is created with besides its parties.</summary>
public sealed record BindingSettings
{
    /// <summary>Preferred city of X.</summary>
    public string? ExpectCity { get; init; }

    /// <summary>AXN extension: a requested extension (the provider allocates one when null).</summary>
    public string? Extension { get; init; }

    /// <summary>AXG: the G group.</summary>
    public long? GroupId { get; init; }

    public bool RecordingEnabled { get; init; }

    public CallRestriction CallRestriction { get; init; }
}

/// <summary>What a <see cref="Events.BindingUpdated"/> changed.</summary>
public enum BindingChange
{
    PartyB,
    ExpiresAt,
    Recording,
    CallRestriction,
    GroupId,
    TrackingNumber,
    Completed,
}

public enum ReleaseReason
{
    /// <summary>The caller cancelled the protection.</summary>
    Cancelled,

    /// <summary>Reconciliation found that the provider no longer has the binding before its expiry (drift repaired).</summary>
    EndedAtProvider,
}
