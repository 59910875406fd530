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
        PartyB = null!;
    }

    private Binding(BindingId id, OrderKey order, BindingProduct product, string poolKey, PhoneNumber partyA, PhoneNumber partyB, string? expectCity, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        Id = id;
        CallerId = order.CallerId;
        BusinessLine = order.BusinessLine;
        OrderId = order.OrderId;
        Product = product;
        PoolKey = poolKey;
        PartyA = partyA;
        PartyB = partyB;
        ExpectCity = expectCity;
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

    public PhoneNumber PartyB { get; private set; }

    public string? ExpectCity { get; private set; }

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
    public static Binding RequestAxb(OrderKey order, string poolKey, PhoneNumber partyA, PhoneNumber partyB, string? expectCity, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentException.ThrowIfNullOrWhiteSpace(poolKey);
        ArgumentNullException.ThrowIfNull(partyA);
        ArgumentNullException.ThrowIfNull(partyB);

        if (partyA == partyB)
        {
            throw new DomainException("binding.same_parties", "Party A and party B must be different numbers.");
        }

        if (expiresAt <= now)
        {
            throw new DomainException("binding.expiry_in_past", "The expiry must be in the future.");
        }

        // The provider keeps expiries to the second; we keep exactly what it keeps.
        var expiry = expiresAt.ToUniversalTime();
        expiry = new DateTimeOffset(expiry.Ticks - (expiry.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return new Binding(BindingId.New(), order, BindingProduct.Axb, poolKey, partyA, partyB, expectCity, expiry, Stored(now));
    }

    /// <summary>True when this binding joins exactly these two parties, in these roles.</summary>
    public bool Joins(PhoneNumber partyA, PhoneNumber partyB) => PartyA == partyA && PartyB == partyB;

    /// <summary>The provider created the binding.</summary>
    public void Activate(string subsId, string secretNo, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subsId);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretNo);
        EnsureStatus(BindingStatus.Pending, "activate");

        SubsId = subsId;
        SecretNo = secretNo;
        Status = BindingStatus.Active;
        Touch(now);
        Raise(new BindingActivated(this, now));
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
        Raise(new BindingFailed(this, reason, now));
    }

    /// <summary>Ended early by the caller; the provider side has been unbound.</summary>
    public void Release(ReleaseReason reason, DateTimeOffset now)
    {
        EnsureStatus(BindingStatus.Active, "release");

        Status = BindingStatus.Released;
        EndedAt = Stored(now);
        Touch(now);
        Raise(new BindingReleased(this, reason, now));
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
        Raise(new BindingExpired(this, now));
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
    Axb,
}

public enum ReleaseReason
{
    /// <summary>The caller cancelled the protection.</summary>
    Cancelled,
}
