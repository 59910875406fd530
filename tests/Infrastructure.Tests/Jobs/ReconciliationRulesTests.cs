using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Jobs.Reconciliation;

namespace BindingService.Infrastructure.Tests.Jobs;

/// <summary>
/// The reconciler's pure rules (invariant 3): which provider binding a Pending binding of ours is (PoolAudit.Matches —
/// the provider returns no OutId, so X, parties and expiry decide), and what the drift check pushes back
/// (DriftCheck.Differences — our database is the truth).
/// </summary>
public sealed class ReconciliationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private static readonly PhoneNumber A = PhoneNumber.Parse("13800138000");
    private static readonly PhoneNumber B = PhoneNumber.Parse("13900139000");
    private static readonly PhoneNumber Other = PhoneNumber.Parse("13700137000");
    private static readonly SubscriptionRef Subscription = new("FC1", "1001", "17000000001");

    [Fact]
    public void Matches_SameParties_AndExpiryToTheSecond()
    {
        var pending = Pending();
        Assert.True(PoolAudit.Matches(pending, Detail(A, B, pending.ExpiresAt.AddMilliseconds(400))));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    [InlineData("expiry")]
    public void DoesNotMatch_WhenAPartyOrTheExpiryDiffers(string differs)
    {
        var pending = Pending();
        var detail = differs switch
        {
            "a" => Detail(Other, B, pending.ExpiresAt),
            "b" => Detail(A, Other, pending.ExpiresAt),
            _ => Detail(A, B, pending.ExpiresAt.AddMinutes(1)),
        };

        Assert.False(PoolAudit.Matches(pending, detail));
    }

    [Fact]
    public void MaskedPartiesAtTheProvider_AreNotHeldAgainstTheMatch()
    {
        var pending = Pending();
        Assert.True(PoolAudit.Matches(pending, Detail(null, null, pending.ExpiresAt)));
    }

    [Fact]
    public void Differences_NoneWhenTheProviderHoldsWhatWeHold()
    {
        var active = Active();
        Assert.Empty(DriftCheck.Differences(active, Detail(A, B, active.ExpiresAt), Subscription));
    }

    [Fact]
    public void Differences_PushOurPartiesAndExpiryBack()
    {
        var active = Active();
        var repairs = DriftCheck.Differences(active, Detail(Other, Other, active.ExpiresAt.AddHours(3)), Subscription).ToList();

        Assert.Collection(
            repairs,
            r => Assert.Equal(A, Assert.IsType<SubscriptionUpdate.ChangePartyA>(r).PartyA),
            r => Assert.Equal(B, Assert.IsType<SubscriptionUpdate.ChangePartyB>(r).PartyB),
            r => Assert.Equal(active.ExpiresAt, Assert.IsType<SubscriptionUpdate.ChangeExpiry>(r).ExpiresAt));
    }

    private static Binding Pending() =>
        Binding.RequestAxb(new OrderKey("caller", BusinessLine.Ride, "ride-1"), "FC1", A, B, null, Now.AddHours(1), Now);

    private static Binding Active()
    {
        var binding = Pending();
        binding.Activate("1001", "17000000001", Now);
        return binding;
    }

    private static SubscriptionDetail Detail(PhoneNumber? a, PhoneNumber? b, DateTimeOffset expires) =>
        new("1001", "17000000001", a, b, InEffect: true, expires, Now, RecordingEnabled: false, CallRestriction.None, Extension: null, GroupId: null);
}
