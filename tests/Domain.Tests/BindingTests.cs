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

    // ---- Every product, every transition -------------------------------------------------------------------
    // The state machine (BindingStatus): Pending → Active → Released | Expired; Pending → Failed. In-place changes
    // only on Active, each raising exactly one BindingUpdated naming what changed (invariant 4), none when nothing
    // changes (an idempotent repeat).

    private static readonly PhoneNumber NewDriver = PhoneNumber.Parse("13700137000");
    private const long Group = 42;

    public static TheoryData<BindingProduct> Products() => [BindingProduct.Axb, BindingProduct.Axn, BindingProduct.AxnExtension, BindingProduct.Axg];

    public static TheoryData<BindingProduct, BindingStatus> ProductsInEndedStates()
    {
        var data = new TheoryData<BindingProduct, BindingStatus>();
        foreach (var product in Products())
        {
            foreach (var status in new[] { BindingStatus.Released, BindingStatus.Expired, BindingStatus.Failed })
            {
                data.Add(product, status);
            }
        }

        return data;
    }

    /// <summary>The in-place changes by name, with the products each applies to.</summary>
    private static readonly Dictionary<string, (Func<Binding, bool> Change, BindingProduct[] Products)> Changes = new()
    {
        ["reassign"] = (b => b.ReassignPartyB(NewDriver, Now.AddMinutes(1)), AllProducts),
        ["expiry"] = (b => b.ChangeExpiry(Now.AddHours(5), Now.AddMinutes(1)), AllProducts),
        ["recording"] = (b => b.SetRecording(true, Now.AddMinutes(1)), AllProducts),
        ["restriction"] = (b => b.SetCallRestriction(CallRestriction.PartyBCannotCall, Now.AddMinutes(1)), AllProducts),
        ["group"] = (b => b.ChangeGroup(Group + 1, Now.AddMinutes(1)), [BindingProduct.Axg]),
        ["tracking"] = (b => b.AttachTrackingNumber("SF1234567890", Now.AddMinutes(1)), [BindingProduct.Axn, BindingProduct.AxnExtension]),
        ["complete"] = (b => b.Complete(Now.AddMinutes(31), Now.AddMinutes(1)), AllProducts),
    };

    private static BindingProduct[] AllProducts => [BindingProduct.Axb, BindingProduct.Axn, BindingProduct.AxnExtension, BindingProduct.Axg];

    public static TheoryData<string, BindingProduct, BindingStatus> ChangesInEveryNonActiveState()
    {
        var data = new TheoryData<string, BindingProduct, BindingStatus>();
        foreach (var (name, (_, products)) in Changes)
        {
            foreach (var product in products)
            {
                foreach (var status in new[] { BindingStatus.Pending, BindingStatus.Released, BindingStatus.Expired, BindingStatus.Failed })
                {
                    data.Add(name, product, status);
                }
            }
        }

        return data;
    }

    public static TheoryData<string, BindingProduct> ChangesOnActive()
    {
        var data = new TheoryData<string, BindingProduct>();
        foreach (var (name, (_, products)) in Changes)
        {
            foreach (var product in products)
            {
                data.Add(name, product);
            }
        }

        return data;
    }

    private static Binding Pending(BindingProduct product) => product switch
    {
        BindingProduct.Axb => Binding.Request(Order, product, "FC1", Passenger, Driver, new BindingSettings { ExpectCity = "北京" }, Now.AddHours(2), Now),
        BindingProduct.Axn => Binding.Request(Order, product, "FC2", Passenger, Driver, new BindingSettings(), Now.AddHours(2), Now),
        BindingProduct.AxnExtension => Binding.Request(Order, product, "FC3", Passenger, null, new BindingSettings(), Now.AddHours(2), Now),
        BindingProduct.Axg => Binding.Request(Order, product, "FC4", Passenger, null, new BindingSettings { GroupId = Group }, Now.AddHours(2), Now),
        _ => throw new ArgumentOutOfRangeException(nameof(product)),
    };

    private static Binding InState(BindingProduct product, BindingStatus status)
    {
        var binding = Pending(product);
        switch (status)
        {
            case BindingStatus.Pending:
                break;
            case BindingStatus.Failed:
                binding.Fail("pool.exhausted", Now);
                break;
            default:
                binding.Activate("1000000000000001", "17000000001", Now, product == BindingProduct.AxnExtension ? "1234" : null);
                if (status == BindingStatus.Released)
                {
                    binding.Release(ReleaseReason.Cancelled, Now.AddMinutes(1));
                }
                else if (status == BindingStatus.Expired)
                {
                    binding.Expire(Now.AddHours(2));
                }

                break;
        }

        binding.ClearDomainEvents();
        return binding;
    }

    private static Binding Active(BindingProduct product) => InState(product, BindingStatus.Active);

    private static DomainException Refused(Action action) => Assert.Throws<DomainException>(action);

    // ---- Request -------------------------------------------------------------------------------------------

    [Fact]
    public void Request_Axb_WithoutPartyB_IsRefused()
    {
        var ex = Refused(() => Binding.Request(Order, BindingProduct.Axb, "FC1", Passenger, null, new BindingSettings(), Now.AddHours(1), Now));
        Assert.Equal("binding.party_b_required", ex.Code);
    }

    [Fact]
    public void Request_Axg_WithoutAGroup_IsRefused()
    {
        var ex = Refused(() => Binding.Request(Order, BindingProduct.Axg, "FC4", Passenger, null, new BindingSettings(), Now.AddHours(1), Now));
        Assert.Equal("binding.group_required", ex.Code);
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Request_WithTheSameNumberForAAndB_IsRefused_ForEveryProduct(BindingProduct product)
    {
        var ex = Refused(() => Binding.Request(Order, product, "FC1", Passenger, PhoneNumber.Parse("13800138000"), new BindingSettings { GroupId = Group }, Now.AddHours(1), Now));
        Assert.Equal("binding.same_parties", ex.Code);
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Request_StartsPending_WithoutEvents_ForEveryProduct(BindingProduct product)
    {
        var binding = Pending(product);

        Assert.Equal(BindingStatus.Pending, binding.Status);
        Assert.Equal(product, binding.Product);
        Assert.Empty(binding.DomainEvents);
    }

    [Theory]
    [InlineData(BindingProduct.Axn)]
    [InlineData(BindingProduct.AxnExtension)]
    [InlineData(BindingProduct.Axg)]
    public void Request_WithoutPartyB_IsAllowed_ForProductsWhereBIsOptional(BindingProduct product)
    {
        var binding = Binding.Request(Order, product, "FC1", Passenger, null, new BindingSettings { GroupId = Group }, Now.AddHours(1), Now);
        Assert.Null(binding.PartyB);
    }

    [Fact]
    public void Request_KeepsAGroupOnlyForAxg_AndAnExtensionOnlyForAxnExtension()
    {
        var settings = new BindingSettings { GroupId = Group, Extension = "1234" };

        var axb = Binding.Request(Order, BindingProduct.Axb, "FC1", Passenger, Driver, settings, Now.AddHours(1), Now);
        var axg = Binding.Request(Order, BindingProduct.Axg, "FC4", Passenger, null, settings, Now.AddHours(1), Now);
        var ext = Binding.Request(Order, BindingProduct.AxnExtension, "FC3", Passenger, null, settings, Now.AddHours(1), Now);

        Assert.Null(axb.GroupId);
        Assert.Null(axb.Extension);
        Assert.Equal(Group, axg.GroupId);
        Assert.Null(axg.Extension);
        Assert.Null(ext.GroupId);
        Assert.Equal("1234", ext.Extension);
    }

    // ---- Activate, Fail, Release, Expire -------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Products))]
    public void Activate_WhenPending_BecomesActive_WithOneActivatedEvent_ForEveryProduct(BindingProduct product)
    {
        var binding = Pending(product);

        binding.Activate("1000000000000009", "17000000009", Now.AddSeconds(1));

        Assert.Equal(BindingStatus.Active, binding.Status);
        Assert.Equal("17000000009", binding.SecretNo);
        Assert.IsType<BindingActivated>(Assert.Single(binding.DomainEvents));
        Assert.Equal(1, binding.Version);
    }

    [Fact]
    public void Activate_AxnExtension_TakesTheExtensionTheProviderAllocated_OtherProductsIgnoreIt()
    {
        var ext = Pending(BindingProduct.AxnExtension);
        var axn = Pending(BindingProduct.Axn);

        ext.Activate("1", "17000000001", Now, extension: "0815");
        axn.Activate("2", "17000000002", Now, extension: "0815");

        Assert.Equal("0815", ext.Extension);
        Assert.Null(axn.Extension);
    }

    [Theory]
    [MemberData(nameof(ProductsInEndedStates))]
    public void Activate_WhenEnded_IsRefused(BindingProduct product, BindingStatus status)
    {
        var binding = InState(product, status);

        var ex = Refused(() => binding.Activate("2", "17000000002", Now));

        Assert.Equal("binding.illegal_transition", ex.Code);
        Assert.Equal(status, binding.Status);
        Assert.Empty(binding.DomainEvents);
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Fail_WhenPending_BecomesFailed_WithOneFailedEvent_ForEveryProduct(BindingProduct product)
    {
        var binding = Pending(product);

        binding.Fail("provider.forbidden", Now.AddSeconds(1));

        Assert.Equal(BindingStatus.Failed, binding.Status);
        Assert.Equal("provider.forbidden", binding.FailureReason);
        Assert.Equal(Now.AddSeconds(1), binding.EndedAt);
        Assert.IsType<BindingFailed>(Assert.Single(binding.DomainEvents));
    }

    [Theory]
    [MemberData(nameof(ProductsInEndedStates))]
    public void Fail_WhenEnded_IsRefused(BindingProduct product, BindingStatus status)
    {
        var binding = InState(product, status);

        Assert.Equal("binding.illegal_transition", Refused(() => binding.Fail("x", Now)).Code);
        Assert.Empty(binding.DomainEvents);
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Fail_WhenActive_IsRefused_ForEveryProduct(BindingProduct product)
    {
        Assert.Equal("binding.illegal_transition", Refused(() => Active(product).Fail("x", Now)).Code);
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Release_WhenActive_BecomesReleased_WithOneReleasedEvent_ForEveryProduct(BindingProduct product)
    {
        var binding = Active(product);

        binding.Release(ReleaseReason.Cancelled, Now.AddMinutes(3));

        Assert.Equal(BindingStatus.Released, binding.Status);
        Assert.Equal(Now.AddMinutes(3), binding.EndedAt);
        var released = Assert.IsType<BindingReleased>(Assert.Single(binding.DomainEvents));
        Assert.Equal(ReleaseReason.Cancelled, released.Reason);
        Assert.Equal(2, released.Version);
    }

    [Theory]
    [MemberData(nameof(ProductsInEndedStates))]
    [InlineData(BindingProduct.Axb, BindingStatus.Pending)]
    [InlineData(BindingProduct.Axg, BindingStatus.Pending)]
    public void Release_WhenNotActive_IsRefused(BindingProduct product, BindingStatus status)
    {
        var binding = InState(product, status);

        Assert.Equal("binding.illegal_transition", Refused(() => binding.Release(ReleaseReason.Cancelled, Now.AddMinutes(5))).Code);
        Assert.Equal(status, binding.Status);
        Assert.Empty(binding.DomainEvents);
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Expire_WhenActiveAndDue_BecomesExpired_WithOneExpiredEvent_ForEveryProduct(BindingProduct product)
    {
        var binding = Active(product);

        binding.Expire(Now.AddHours(2).AddSeconds(3));

        Assert.Equal(BindingStatus.Expired, binding.Status);
        Assert.Equal(Now.AddHours(2).AddSeconds(3), binding.EndedAt);
        Assert.IsType<BindingExpired>(Assert.Single(binding.DomainEvents));
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void Expire_BeforeItsExpiry_IsRefused_ForEveryProduct(BindingProduct product)
    {
        var binding = Active(product);

        Assert.Equal("binding.not_due", Refused(() => binding.Expire(Now.AddHours(2).AddSeconds(-1))).Code);
        Assert.Equal(BindingStatus.Active, binding.Status);
    }

    [Theory]
    [MemberData(nameof(ProductsInEndedStates))]
    [InlineData(BindingProduct.Axb, BindingStatus.Pending)]
    [InlineData(BindingProduct.AxnExtension, BindingStatus.Pending)]
    public void Expire_WhenNotActive_IsRefused(BindingProduct product, BindingStatus status)
    {
        var binding = InState(product, status);

        Assert.Equal("binding.illegal_transition", Refused(() => binding.Expire(Now.AddHours(3))).Code);
        Assert.Empty(binding.DomainEvents);
    }

    // ---- In-place changes: refused unless Active -------------------------------------------------------------

    [Theory]
    [MemberData(nameof(ChangesInEveryNonActiveState))]
    public void Change_WhenNotActive_IsRefused_AndLeavesTheBindingAsItWas(string change, BindingProduct product, BindingStatus status)
    {
        var binding = InState(product, status);
        var version = binding.Version;
        var partyB = binding.PartyB;
        var expiresAt = binding.ExpiresAt;

        var ex = Refused(() => Changes[change].Change(binding));

        Assert.Equal("binding.illegal_transition", ex.Code);
        Assert.Equal(status, binding.Status);
        Assert.Equal(version, binding.Version);
        Assert.Equal(partyB, binding.PartyB);
        Assert.Equal(expiresAt, binding.ExpiresAt);
        Assert.Null(binding.CompletedAt);
        Assert.Empty(binding.DomainEvents);
    }

    [Theory]
    [MemberData(nameof(ChangesOnActive))]
    public void Change_WhenActive_RaisesExactlyOneUpdatedEvent_AndARepeatRaisesNone(string change, BindingProduct product)
    {
        var binding = Active(product);

        Assert.True(Changes[change].Change(binding));
        var updated = Assert.IsType<BindingUpdated>(Assert.Single(binding.DomainEvents));
        Assert.Equal(2, updated.Version);
        Assert.NotEmpty(updated.Changes);
        binding.ClearDomainEvents();

        Assert.False(Changes[change].Change(binding));
        Assert.Empty(binding.DomainEvents);
        Assert.Equal(2, binding.Version);
    }

    // ---- Reassign B ------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Products))]
    public void ReassignPartyB_WhenActive_ChangesB_AndNamesIt(BindingProduct product)
    {
        var binding = Active(product);

        Assert.True(binding.ReassignPartyB(NewDriver, Now.AddMinutes(1)));

        Assert.Equal(NewDriver, binding.PartyB);
        Assert.Equal(Now.AddMinutes(1), binding.UpdatedAt);
        var updated = Assert.IsType<BindingUpdated>(Assert.Single(binding.DomainEvents));
        Assert.Equal([BindingChange.PartyB], updated.Changes);
    }

    [Fact]
    public void ReassignPartyB_ToTheCurrentB_ChangesNothing_AndRaisesNoEvent()
    {
        var binding = Active(BindingProduct.Axb);

        Assert.False(binding.ReassignPartyB(PhoneNumber.Parse("13900139000"), Now.AddMinutes(1)));

        Assert.Empty(binding.DomainEvents);
        Assert.Equal(1, binding.Version);
        Assert.Equal(Now, binding.UpdatedAt);
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void ReassignPartyB_ToPartyA_IsRefused_ForEveryProduct(BindingProduct product)
    {
        var binding = Active(product);

        Assert.Equal("binding.same_parties", Refused(() => binding.ReassignPartyB(PhoneNumber.Parse("13800138000"), Now)).Code);
        Assert.Empty(binding.DomainEvents);
    }

    // ---- Expiry ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    public void ChangeExpiry_ExtendsOrShortens_ToTheSecond_AndNamesIt(int hoursFromOriginal)
    {
        var binding = Active(BindingProduct.Axb);
        var requested = Now.AddHours(2 + hoursFromOriginal).AddMilliseconds(700);

        Assert.True(binding.ChangeExpiry(requested, Now.AddMinutes(1)));

        Assert.Equal(Now.AddHours(2 + hoursFromOriginal), binding.ExpiresAt);
        Assert.Equal([BindingChange.ExpiresAt], Assert.IsType<BindingUpdated>(Assert.Single(binding.DomainEvents)).Changes);
    }

    [Fact]
    public void ChangeExpiry_ToTheSameSecond_ChangesNothing()
    {
        var binding = Active(BindingProduct.Axn);

        Assert.False(binding.ChangeExpiry(Now.AddHours(2).AddMilliseconds(999), Now.AddMinutes(1)));
        Assert.Empty(binding.DomainEvents);
    }

    [Fact]
    public void ChangeExpiry_ToThePast_IsRefused()
    {
        var binding = Active(BindingProduct.Axb);

        Assert.Equal("binding.expiry_in_past", Refused(() => binding.ChangeExpiry(Now, Now.AddMinutes(1))).Code);
        Assert.Equal(Now.AddHours(2), binding.ExpiresAt);
        Assert.Empty(binding.DomainEvents);
    }

    // ---- Recording and call restriction ---------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Products))]
    public void SetRecording_OnThenOff_RaisesOneEventEach(BindingProduct product)
    {
        var binding = Active(product);

        Assert.True(binding.SetRecording(true, Now.AddMinutes(1)));
        Assert.True(binding.RecordingEnabled);
        Assert.True(binding.SetRecording(false, Now.AddMinutes(2)));
        Assert.False(binding.RecordingEnabled);

        Assert.Equal(2, binding.DomainEvents.Count);
        Assert.All(binding.DomainEvents, e => Assert.Equal([BindingChange.Recording], Assert.IsType<BindingUpdated>(e).Changes));
    }

    [Fact]
    public void SetRecording_Off_WhenAlreadyOff_ChangesNothing()
    {
        var binding = Active(BindingProduct.Axb);

        Assert.False(binding.SetRecording(false, Now.AddMinutes(1)));
        Assert.Empty(binding.DomainEvents);
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void SetCallRestriction_SetThenClear_RaisesOneEventEach(BindingProduct product)
    {
        var binding = Active(product);

        Assert.True(binding.SetCallRestriction(CallRestriction.PartyACannotCall, Now.AddMinutes(1)));
        Assert.Equal(CallRestriction.PartyACannotCall, binding.CallRestriction);
        Assert.True(binding.SetCallRestriction(CallRestriction.PartyBCannotCall, Now.AddMinutes(2)));
        Assert.Equal(CallRestriction.PartyBCannotCall, binding.CallRestriction);
        Assert.True(binding.SetCallRestriction(CallRestriction.None, Now.AddMinutes(3)));
        Assert.Equal(CallRestriction.None, binding.CallRestriction);

        Assert.Equal(3, binding.DomainEvents.Count);
        Assert.All(binding.DomainEvents, e => Assert.Equal([BindingChange.CallRestriction], Assert.IsType<BindingUpdated>(e).Changes));
    }

    [Fact]
    public void SetCallRestriction_None_WhenNoneIsSet_ChangesNothing()
    {
        var binding = Active(BindingProduct.Axb);

        Assert.False(binding.SetCallRestriction(CallRestriction.None, Now.AddMinutes(1)));
        Assert.Empty(binding.DomainEvents);
    }

    // ---- Group (AXG only) ---------------------------------------------------------------------------------------

    [Fact]
    public void ChangeGroup_OnAxg_ChangesTheGroup_AndNamesIt()
    {
        var binding = Active(BindingProduct.Axg);

        Assert.True(binding.ChangeGroup(77, Now.AddMinutes(1)));

        Assert.Equal(77, binding.GroupId);
        Assert.Equal([BindingChange.GroupId], Assert.IsType<BindingUpdated>(Assert.Single(binding.DomainEvents)).Changes);
    }

    [Fact]
    public void ChangeGroup_ToTheCurrentGroup_ChangesNothing()
    {
        var binding = Active(BindingProduct.Axg);

        Assert.False(binding.ChangeGroup(Group, Now.AddMinutes(1)));
        Assert.Empty(binding.DomainEvents);
    }

    [Theory]
    [InlineData(BindingProduct.Axb)]
    [InlineData(BindingProduct.Axn)]
    [InlineData(BindingProduct.AxnExtension)]
    public void ChangeGroup_OnAProductOtherThanAxg_IsRefused(BindingProduct product)
    {
        var binding = Active(product);

        Assert.Equal("binding.not_axg", Refused(() => binding.ChangeGroup(77, Now.AddMinutes(1))).Code);
        Assert.Null(binding.GroupId);
        Assert.Empty(binding.DomainEvents);
    }

    // ---- Tracking number (AXN, AXN extension only) ------------------------------------------------------------

    [Theory]
    [InlineData(BindingProduct.Axn)]
    [InlineData(BindingProduct.AxnExtension)]
    public void AttachTrackingNumber_OnAxn_AttachesIt_AndNamesIt(BindingProduct product)
    {
        var binding = Active(product);

        Assert.True(binding.AttachTrackingNumber("SF1234567890", Now.AddMinutes(1)));

        Assert.Equal("SF1234567890", binding.TrackingNumber);
        Assert.Equal([BindingChange.TrackingNumber], Assert.IsType<BindingUpdated>(Assert.Single(binding.DomainEvents)).Changes);
    }

    [Fact]
    public void AttachTrackingNumber_ADifferentOne_ReplacesIt_WithOneEvent()
    {
        var binding = Active(BindingProduct.AxnExtension);
        binding.AttachTrackingNumber("SF1", Now.AddMinutes(1));
        binding.ClearDomainEvents();

        Assert.True(binding.AttachTrackingNumber("SF2", Now.AddMinutes(2)));
        Assert.Equal("SF2", binding.TrackingNumber);
        Assert.Single(binding.DomainEvents);
    }

    [Theory]
    [InlineData(BindingProduct.Axb)]
    [InlineData(BindingProduct.Axg)]
    public void AttachTrackingNumber_OnAxbOrAxg_IsRefused(BindingProduct product)
    {
        var binding = Active(product);

        Assert.Equal("binding.not_axn", Refused(() => binding.AttachTrackingNumber("SF1234567890", Now.AddMinutes(1))).Code);
        Assert.Null(binding.TrackingNumber);
        Assert.Empty(binding.DomainEvents);
    }

    // ---- Complete with a post-trip grace period -------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Products))]
    public void Complete_RecordsCompletion_AndMovesTheExpiryToTheEndOfTheGrace(BindingProduct product)
    {
        var binding = Active(product);
        var completedAt = Now.AddMinutes(40);

        Assert.True(binding.Complete(completedAt.AddMinutes(10).AddMilliseconds(250), completedAt));

        Assert.Equal(completedAt, binding.CompletedAt);
        Assert.Equal(completedAt.AddMinutes(10), binding.ExpiresAt);
        Assert.Equal(BindingStatus.Active, binding.Status); // calls stay possible for the grace period
        var updated = Assert.IsType<BindingUpdated>(Assert.Single(binding.DomainEvents));
        Assert.Equal([BindingChange.Completed, BindingChange.ExpiresAt], updated.Changes);
    }

    [Fact]
    public void Complete_WithAGraceEndingAtTheCurrentExpiry_NamesOnlyTheCompletion()
    {
        var binding = Active(BindingProduct.Axb);

        Assert.True(binding.Complete(Now.AddHours(2), Now.AddHours(1)));

        Assert.Equal([BindingChange.Completed], Assert.IsType<BindingUpdated>(Assert.Single(binding.DomainEvents)).Changes);
    }

    [Fact]
    public void Complete_Twice_IsIdempotent_TheFirstGraceStands()
    {
        var binding = Active(BindingProduct.Axb);
        binding.Complete(Now.AddMinutes(30), Now.AddMinutes(20));
        binding.ClearDomainEvents();

        Assert.False(binding.Complete(Now.AddMinutes(90), Now.AddMinutes(25)));

        Assert.Equal(Now.AddMinutes(20), binding.CompletedAt);
        Assert.Equal(Now.AddMinutes(30), binding.ExpiresAt);
        Assert.Empty(binding.DomainEvents);
    }

    [Fact]
    public void Complete_WithAGraceAlreadyOver_IsRefused()
    {
        var binding = Active(BindingProduct.Axb);

        Assert.Equal("binding.expiry_in_past", Refused(() => binding.Complete(Now.AddMinutes(10), Now.AddMinutes(10))).Code);
        Assert.Null(binding.CompletedAt);
        Assert.Empty(binding.DomainEvents);
    }

    [Fact]
    public void Complete_ThenTheGraceRunsOut_TheBindingExpires()
    {
        var binding = Active(BindingProduct.Axb);
        binding.Complete(Now.AddMinutes(30), Now.AddMinutes(20));

        Assert.Equal("binding.not_due", Refused(() => binding.Expire(Now.AddMinutes(29))).Code);
        binding.Expire(Now.AddMinutes(30));

        Assert.Equal(BindingStatus.Expired, binding.Status);
        Assert.IsType<BindingExpired>(binding.DomainEvents[^1]);
    }

    [Fact]
    public void Changes_AfterCompletion_AreStillAllowed_WhileTheGraceRuns()
    {
        var binding = Active(BindingProduct.Axb);
        binding.Complete(Now.AddMinutes(30), Now.AddMinutes(20));

        Assert.True(binding.SetCallRestriction(CallRestriction.PartyBCannotCall, Now.AddMinutes(21)));
        Assert.True(binding.ChangeExpiry(Now.AddMinutes(45), Now.AddMinutes(22)));
        Assert.Equal(4, binding.Version);
    }

    [Fact]
    public void EveryChange_IncrementsTheVersion_ByOne()
    {
        var binding = Active(BindingProduct.Axb);

        binding.ReassignPartyB(NewDriver, Now.AddMinutes(1));
        binding.ChangeExpiry(Now.AddHours(3), Now.AddMinutes(2));
        binding.SetRecording(true, Now.AddMinutes(3));
        binding.SetCallRestriction(CallRestriction.PartyACannotCall, Now.AddMinutes(4));
        binding.Complete(Now.AddMinutes(40), Now.AddMinutes(5));

        Assert.Equal([2, 3, 4, 5, 6], binding.DomainEvents.Cast<BindingDomainEvent>().Select(e => e.Version));
        Assert.Equal(6, binding.Version);
    }
}
