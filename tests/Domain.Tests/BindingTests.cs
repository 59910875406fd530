using BindingService.Domain.Bindings;
using BindingService.Domain.Bindings.Events;
using BindingService.Domain.Common;

namespace BindingService.Domain.Tests;

public sealed class BindingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly PhoneNumber Passenger = PhoneNumber.Parse("13800138000");
    private static readonly PhoneNumber Driver = PhoneNumber.Parse("13900139000");
    private static readonly OrderKey Order = new("default", BusinessLine.Ride, "ride-1");

    private static Binding NewPending() => Binding.RequestAxb(Order, "FC1", Passenger, Driver, "北京", Now.AddHours(2), Now);

    private static Binding NewActive()
    {
        var binding = NewPending();
        binding.Activate("1000000000000001", "17000000001", Now);
        return binding;
    }

    [Fact]
    public void RequestAxb_StartsPending_WithoutAnyEvent()
    {
        var binding = NewPending();

        Assert.Equal(BindingStatus.Pending, binding.Status);
        Assert.Null(binding.SecretNo);
        Assert.Empty(binding.DomainEvents);
        Assert.Equal(0, binding.Version);
        Assert.Equal(Order, binding.Order);
    }

    [Fact]
    public void RequestAxb_KeepsTheExpiryToTheSecond_AndTimesToTheMicrosecond_InUtc()
    {
        var now = new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.FromHours(8)).AddTicks(1_234_567);
        var binding = Binding.RequestAxb(Order, "FC1", Passenger, Driver, null, now.AddHours(2).AddTicks(9_999_999), now);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero).AddSeconds(1), binding.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, binding.ExpiresAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), binding.CreatedAt);
    }

    [Fact]
    public void RequestAxb_WithTheSameNumberForBothParties_IsRefused()
    {
        var ex = Assert.Throws<DomainException>(() => Binding.RequestAxb(Order, "FC1", Passenger, PhoneNumber.Parse("13800138000"), null, Now.AddHours(1), Now));
        Assert.Equal("binding.same_parties", ex.Code);
    }

    [Fact]
    public void RequestAxb_WithAnExpiryInThePast_IsRefused()
    {
        Assert.Throws<DomainException>(() => Binding.RequestAxb(Order, "FC1", Passenger, Driver, null, Now.AddSeconds(-1), Now));
    }

    [Fact]
    public void Activate_WhenPending_BecomesActive_AndRaisesOneActivatedEvent()
    {
        var binding = NewPending();

        binding.Activate("1000000000000001", "17000000001", Now.AddSeconds(1));

        Assert.Equal(BindingStatus.Active, binding.Status);
        Assert.Equal("1000000000000001", binding.SubsId);
        Assert.Equal("17000000001", binding.SecretNo);
        var activated = Assert.IsType<BindingActivated>(Assert.Single(binding.DomainEvents));
        Assert.Equal(1, activated.Version);
    }

    [Fact]
    public void Activate_WhenAlreadyActive_IsRefused()
    {
        var binding = NewActive();
        var ex = Assert.Throws<DomainException>(() => binding.Activate("2", "17000000002", Now));
        Assert.Equal("binding.illegal_transition", ex.Code);
    }

    [Fact]
    public void Fail_WhenPending_BecomesFailed_WithTheReason()
    {
        var binding = NewPending();

        binding.Fail("pool.exhausted", Now);

        Assert.Equal(BindingStatus.Failed, binding.Status);
        Assert.Equal("pool.exhausted", binding.FailureReason);
        Assert.Equal(Now, binding.EndedAt);
        Assert.IsType<BindingFailed>(Assert.Single(binding.DomainEvents));
    }

    [Fact]
    public void Fail_WhenActive_IsRefused()
    {
        Assert.Throws<DomainException>(() => NewActive().Fail("x", Now));
    }

    [Fact]
    public void Release_WhenActive_BecomesReleased_AndRaisesReleasedEvent()
    {
        var binding = NewActive();
        binding.ClearDomainEvents();

        binding.Release(ReleaseReason.Cancelled, Now.AddMinutes(5));

        Assert.Equal(BindingStatus.Released, binding.Status);
        Assert.Equal(Now.AddMinutes(5), binding.EndedAt);
        var released = Assert.IsType<BindingReleased>(Assert.Single(binding.DomainEvents));
        Assert.Equal(2, released.Version);
    }

    [Fact]
    public void Release_WhenPending_IsRefused()
    {
        Assert.Throws<DomainException>(() => NewPending().Release(ReleaseReason.Cancelled, Now));
    }

    [Fact]
    public void Release_WhenAlreadyReleased_IsRefused()
    {
        var binding = NewActive();
        binding.Release(ReleaseReason.Cancelled, Now);
        Assert.Throws<DomainException>(() => binding.Release(ReleaseReason.Cancelled, Now));
    }

    [Fact]
    public void Expire_WhenActiveAndDue_BecomesExpired()
    {
        var binding = NewActive();

        binding.Expire(Now.AddHours(2));

        Assert.Equal(BindingStatus.Expired, binding.Status);
        Assert.IsType<BindingExpired>(binding.DomainEvents[^1]);
    }

    [Fact]
    public void Expire_BeforeItsExpiry_IsRefused()
    {
        var ex = Assert.Throws<DomainException>(() => NewActive().Expire(Now.AddHours(1)));
        Assert.Equal("binding.not_due", ex.Code);
    }

    [Fact]
    public void Expire_WhenReleased_IsRefused()
    {
        var binding = NewActive();
        binding.Release(ReleaseReason.Cancelled, Now);
        Assert.Throws<DomainException>(() => binding.Expire(Now.AddHours(3)));
    }

    [Fact]
    public void Joins_IsTrueOnlyForTheSamePartiesInTheSameRoles()
    {
        var binding = NewActive();

        Assert.True(binding.Joins(PhoneNumber.Parse("13800138000"), PhoneNumber.Parse("13900139000")));
        Assert.False(binding.Joins(Driver, Passenger));
        Assert.False(binding.Joins(Passenger, PhoneNumber.Parse("13700137000")));
    }

    [Fact]
    public void OpenStatuses_ArePendingAndActiveOnly()
    {
        Assert.True(BindingStatus.Pending.IsOpen());
        Assert.True(BindingStatus.Active.IsOpen());
        Assert.False(BindingStatus.Failed.IsOpen());
        Assert.False(BindingStatus.Released.IsOpen());
        Assert.False(BindingStatus.Expired.IsOpen());
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    public void OrderKey_WithAMalformedOrderId_IsRefused(string orderId)
    {
        Assert.Throws<DomainException>(() => new OrderKey("default", BusinessLine.Ride, orderId));
    }
}
