using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Tests.Fakes;
using BindingService.Domain.Bindings;
using BindingService.Domain.Bindings.Events;

namespace BindingService.Application.Tests;

/// <summary>
/// The lifecycle rules of docs/architecture.md ("The lifecycle rules"), each proved once on the engine with in-memory
/// ports: the wait for Pending, the expiry rule, the lost-race cap, idempotent repeats, provider refusals, unknown
/// outcomes and abort-safe changes.
/// </summary>
public sealed class BindingLifecycleTests
{
    private readonly Engine _engine = new();

    // ---------- create

    [Fact]
    public async Task Create_BindsAtTheProvider_AndRaisesBindingActivated()
    {
        var created = await _engine.Lifecycle.CreateAsync(_engine.Protect(), CancellationToken.None);

        Assert.True(created.Value!.Created);
        Assert.Equal(BindingStatus.Active, created.Value.Binding.Status);
        Assert.Equal(["Bind"], _engine.Provider.Calls);
        Assert.IsType<BindingActivated>(Assert.Single(_engine.Bindings.Events));
    }

    [Fact]
    public async Task Create_Repeated_ReturnsTheSameBinding_WithoutCallingTheProviderAgain()
    {
        var first = await _engine.Lifecycle.CreateAsync(_engine.Protect(), CancellationToken.None);
        var second = await _engine.Lifecycle.CreateAsync(_engine.Protect(), CancellationToken.None);

        Assert.False(second.Value!.Created);
        Assert.Equal(first.Value!.Binding.Id, second.Value.Binding.Id);
        Assert.Single(_engine.Provider.Binds);
        Assert.Single(_engine.Bindings.Events);
    }

    [Fact]
    public async Task Create_WithOtherParties_WhileActive_IsRefused()
    {
        _engine.SeedActive();

        var result = await _engine.Lifecycle.CreateAsync(_engine.Protect(partyB: Engine.C), CancellationToken.None);

        Assert.Equal("order.protected_with_other_parties", result.Error!.Code);
        Assert.Empty(_engine.Provider.Calls);
    }

    [Fact]
    public async Task Create_ProviderRefusal_FailsTheBinding_WithOurCode()
    {
        _engine.Provider.OnBind = _ => new ProviderError(ProviderErrorKind.PhoneNumberIllegal, "isv.MOBILE_NUMBER_ILLEGAL");

        var result = await _engine.Lifecycle.CreateAsync(_engine.Protect(), CancellationToken.None);

        Assert.Equal("phone.rejected", result.Error!.Code);
        var failed = Assert.IsType<BindingFailed>(Assert.Single(_engine.Bindings.Events));
        Assert.Equal("phone.rejected", failed.Reason);
    }

    [Fact]
    public async Task Create_UnknownOutcome_LeavesThePendingBindingForTheReconciler()
    {
        _engine.Provider.OnBind = _ => new ProviderError(ProviderErrorKind.Unavailable, "timeout", OutcomeUnknown: true);

        var result = await _engine.Lifecycle.CreateAsync(_engine.Protect(), CancellationToken.None);

        Assert.Equal("provider.outcome_unknown", result.Error!.Code);
        Assert.Empty(_engine.Bindings.Events);
        var stored = await _engine.Bindings.FindOpenByOrderAsync(Engine.Order(), CancellationToken.None);
        Assert.Equal(BindingStatus.Pending, stored!.Status);
    }

    [Fact]
    public async Task Create_OverABindingPastItsExpiry_ExpiresIt_AndProtectsAfresh()
    {
        var old = _engine.SeedActive(expiresIn: TimeSpan.FromMinutes(5));
        _engine.PassExpiry(old);

        var result = await _engine.Lifecycle.CreateAsync(_engine.Protect(partyB: Engine.C), CancellationToken.None);

        Assert.True(result.Value!.Created);
        Assert.NotEqual(old.Id, result.Value.Binding.Id);
        Assert.Equal(BindingStatus.Expired, _engine.Bindings.Stored(old.Id).Status);
        Assert.Collection(_engine.Bindings.Events, e => Assert.IsType<BindingExpired>(e), e => Assert.IsType<BindingActivated>(e));
    }

    // ---------- the wait for Pending

    [Fact]
    public async Task Change_WaitsForAPendingBinding_ThenChangesIt()
    {
        var pending = _engine.SeedPending();
        var finds = 0;
        _engine.Bindings.AfterFind = repo =>
        {
            if (++finds == 3)
            {
                repo.ChangeStored(pending.Id, b => b.Activate("S-late", "17000000002", _engine.Clock.GetUtcNow())); // its request got the answer
            }
        };

        var changed = await _engine.Lifecycle.ChangeAsync(Engine.Target(), LifecycleChange.Recording(true), CancellationToken.None);

        Assert.True(changed.Value!.RecordingEnabled);
        Assert.True(_engine.Clock.GetUtcNow() > pending.CreatedAt, "the change did not wait");
        Assert.Equal(["UpdateSubscription"], _engine.Provider.Calls);
    }

    [Fact]
    public async Task Change_OfABindingStillPendingAfterTheWait_Answers503BindingPending()
    {
        var pending = _engine.SeedPending();

        var changed = await _engine.Lifecycle.ChangeAsync(Engine.Target(), LifecycleChange.Recording(true), CancellationToken.None);

        Assert.Equal("binding.pending", changed.Error!.Code);
        Assert.Equal(TimeSpan.FromSeconds(2), changed.Error.RetryAfter);
        Assert.True(_engine.Clock.GetUtcNow() - pending.CreatedAt >= _engine.Options.PendingWaitTimeout, "answered before the configured wait was over");
        Assert.Empty(_engine.Provider.Calls);
    }

    [Fact]
    public async Task Release_OfABindingStillPendingAfterTheWait_Answers503BindingPending()
    {
        _engine.SeedPending();

        var released = await _engine.Lifecycle.ReleaseAsync(Engine.Target(), CancellationToken.None);

        Assert.Equal("binding.pending", released.Error!.Code);
        Assert.Empty(_engine.Provider.Calls);
    }

    // ---------- the expiry rule, the same for every business line

    [Theory]
    [InlineData(BusinessLine.Ride)]
    [InlineData(BusinessLine.Delivery)]
    [InlineData(BusinessLine.Generic)]
    public async Task Change_OfABindingPastItsExpiry_ExpiresIt_AndAnswers409(BusinessLine line)
    {
        var binding = _engine.SeedActive(expiresIn: TimeSpan.FromMinutes(5), line: line);
        _engine.PassExpiry(binding);

        var changed = await _engine.Lifecycle.ChangeAsync(Engine.Target(line: line), LifecycleChange.PartyB(Engine.C, BindingErrors.OtherParties), CancellationToken.None);

        Assert.Equal("order.protection_ended", changed.Error!.Code);
        Assert.Empty(_engine.Provider.Calls);
        Assert.IsType<BindingExpired>(Assert.Single(_engine.Bindings.Events));
    }

    [Fact]
    public async Task Change_ById_OfABindingPastItsExpiry_Answers409BindingNotActive()
    {
        var binding = _engine.SeedActive(expiresIn: TimeSpan.FromMinutes(5), line: BusinessLine.Generic);
        _engine.PassExpiry(binding);

        var changed = await _engine.Lifecycle.ChangeAsync(
            BindingTarget.Id("caller-1", BusinessLine.Generic, binding.Id.ToString()), LifecycleChange.Recording(true), CancellationToken.None);

        Assert.Equal("binding.not_active", changed.Error!.Code);
        Assert.IsType<BindingExpired>(Assert.Single(_engine.Bindings.Events));
    }

    [Fact]
    public async Task Read_OfABindingPastItsExpiry_ShowsItExpired()
    {
        var binding = _engine.SeedActive(expiresIn: TimeSpan.FromMinutes(5));
        _engine.PassExpiry(binding);

        var read = await _engine.Lifecycle.ReadAsync(Engine.Target(), CancellationToken.None);

        Assert.Equal(BindingStatus.Expired, read.Value!.Status);
        Assert.IsType<BindingExpired>(Assert.Single(_engine.Bindings.Events));
    }

    [Fact]
    public async Task Release_OfABindingPastItsExpiry_AnswersItExpired_WithoutUnbinding()
    {
        var binding = _engine.SeedActive(expiresIn: TimeSpan.FromMinutes(5));
        _engine.PassExpiry(binding);

        var released = await _engine.Lifecycle.ReleaseAsync(Engine.Target(), CancellationToken.None);

        Assert.Equal(BindingStatus.Expired, released.Value!.Status);
        Assert.Empty(_engine.Provider.Calls);
    }

    [Fact]
    public async Task ExpireDue_ExpiresOnlyDueBindings_WithTheirLag()
    {
        var due = _engine.SeedActive("ride-1", TimeSpan.FromMinutes(5));
        var alive = _engine.SeedActive("ride-2", TimeSpan.FromHours(2));
        _engine.PassExpiry(due);

        var batch = await _engine.Lifecycle.ExpireDueAsync(100, CancellationToken.None);

        Assert.Equal(1, batch.Expired);
        Assert.True(batch.Lag >= TimeSpan.FromSeconds(1));
        Assert.Equal(BindingStatus.Expired, _engine.Bindings.Stored(due.Id).Status);
        Assert.Equal(BindingStatus.Active, _engine.Bindings.Stored(alive.Id).Status);
    }

    // ---------- repeats, refusals, races

    [Fact]
    public async Task Change_ToWhatAlreadyIs_SendsNothing_AndRaisesNoEvent()
    {
        _engine.SeedActive();

        var changed = await _engine.Lifecycle.ChangeAsync(Engine.Target(), LifecycleChange.PartyB(Engine.B, BindingErrors.OtherParties), CancellationToken.None);

        Assert.Equal(Engine.B, changed.Value!.PartyB);
        Assert.Empty(_engine.Provider.Calls);
        Assert.Empty(_engine.Bindings.Events);
    }

    [Fact]
    public async Task Change_RefusedByTheProvider_LeavesTheBindingAsItWas()
    {
        var binding = _engine.SeedActive();
        _engine.Provider.OnUpdate = _ => new ProviderError(ProviderErrorKind.PhoneNumberIllegal, "isv.MOBILE_NUMBER_ILLEGAL");

        var changed = await _engine.Lifecycle.ChangeAsync(Engine.Target(), LifecycleChange.PartyB(Engine.C, BindingErrors.OtherParties), CancellationToken.None);

        Assert.Equal("phone.rejected", changed.Error!.Code);
        Assert.Equal(Engine.B, _engine.Bindings.Stored(binding.Id).PartyB);
        Assert.Empty(_engine.Bindings.Events);
    }

    [Fact]
    public async Task Change_RaisesBindingUpdated_WithTheValuesOfThatMoment()
    {
        var binding = _engine.SeedActive();

        await _engine.Lifecycle.ChangeAsync(Engine.Target(), LifecycleChange.PartyB(Engine.C, BindingErrors.OtherParties), CancellationToken.None);
        await _engine.Lifecycle.ChangeAsync(Engine.Target(), LifecycleChange.Recording(true), CancellationToken.None);

        var first = Assert.IsType<BindingUpdated>(_engine.Bindings.Events[0]);
        Assert.Equal(Engine.C, first.Binding.PartyB);
        Assert.False(first.Binding.RecordingEnabled); // recording was switched on later: the first event must not show it
        Assert.Equal(binding.Version + 1, first.Version);
        Assert.True(Assert.IsType<BindingUpdated>(_engine.Bindings.Events[1]).Binding.RecordingEnabled);
    }

    [Fact]
    public async Task Change_LosingEveryRace_StopsAfterMaxLostRaces_With503BindingContended()
    {
        var binding = _engine.SeedActive();
        _engine.Bindings.BeforeSave = repo => repo.ChangeStored(binding.Id, b => b.SetCallRestriction(
            b.CallRestriction == CallRestriction.None ? CallRestriction.PartyACannotCall : CallRestriction.None, _engine.Clock.GetUtcNow()));

        var changed = await _engine.Lifecycle.ChangeAsync(Engine.Target(), LifecycleChange.Recording(true), CancellationToken.None);

        Assert.Equal("binding.contended", changed.Error!.Code);
        Assert.Equal(BindingLifecycle.MaxLostRaces, _engine.Provider.Updates.Count);
        Assert.Empty(_engine.Bindings.Events);
    }

    [Fact]
    public async Task Change_LosingOneRace_DecidesAgainOnWhatTheWinnerLeft()
    {
        var binding = _engine.SeedActive();
        var once = true;
        _engine.Bindings.BeforeSave = repo =>
        {
            if (once)
            {
                once = false;
                repo.ChangeStored(binding.Id, b => b.ReassignPartyB(Engine.C, _engine.Clock.GetUtcNow())); // a concurrent request did the same
            }
        };

        var changed = await _engine.Lifecycle.ChangeAsync(Engine.Target(), LifecycleChange.PartyB(Engine.C, BindingErrors.OtherParties), CancellationToken.None);

        Assert.Equal(Engine.C, changed.Value!.PartyB);
        Assert.Single(_engine.Provider.Updates); // the second decision found it already so
        Assert.Empty(_engine.Bindings.Events); // the winner's event is its own
    }

    [Fact]
    public async Task Change_TheStoreRefusesAfterTheProviderMadeIt_Is409NamingTheRule_AndOursIsKept()
    {
        var binding = _engine.SeedActive();
        _engine.Bindings.RefuseSave = () => StoreRule.PartyOnVirtualNumber;

        var changed = await _engine.Lifecycle.ChangeAsync(Engine.Target(), LifecycleChange.PartyB(Engine.C, BindingErrors.OtherParties), CancellationToken.None);

        Assert.Equal("number.party_reserved_on_x", changed.Error!.Code);
        Assert.Equal(Common.ErrorKind.Conflict, changed.Error.Kind);
        Assert.Null(changed.Error.RetryAfter);
        Assert.Single(_engine.Provider.Updates); // sent once, not retried: the drift check puts the provider back
        Assert.Equal(Engine.B, _engine.Bindings.Stored(binding.Id).PartyB);
        Assert.Empty(_engine.Bindings.Events);
    }

    [Fact]
    public async Task Release_UnbindsThenReleases_AndRepeatingIt_AnswersTheEndedBinding()
    {
        _engine.SeedActive();

        var first = await _engine.Lifecycle.ReleaseAsync(Engine.Target(), CancellationToken.None);
        var second = await _engine.Lifecycle.ReleaseAsync(Engine.Target(), CancellationToken.None);

        Assert.Equal(BindingStatus.Released, first.Value!.Status);
        Assert.Equal(BindingStatus.Released, second.Value!.Status);
        Assert.Equal(["UnbindSubscription"], _engine.Provider.Calls);
        Assert.IsType<BindingReleased>(Assert.Single(_engine.Bindings.Events));
    }

    [Fact]
    public async Task Release_WhenTheProviderHasNoSuchBinding_StillReleases()
    {
        _engine.SeedActive();
        _engine.Provider.OnUnbind = _ => new ProviderError(ProviderErrorKind.SubscriptionNotFound, "isv.SUBS_NOT_EXIST");

        var released = await _engine.Lifecycle.ReleaseAsync(Engine.Target(), CancellationToken.None);

        Assert.Equal(BindingStatus.Released, released.Value!.Status);
    }

    [Fact]
    public async Task Release_WhenTheUnbindFails_KeepsTheBindingActive_AndSaysWhy()
    {
        var binding = _engine.SeedActive();
        _engine.Provider.OnUnbind = _ => new ProviderError(ProviderErrorKind.Unavailable, "isp.SYSTEM_ERROR");

        var released = await _engine.Lifecycle.ReleaseAsync(Engine.Target(), CancellationToken.None);

        Assert.Equal("provider.unavailable", released.Error!.Code);
        Assert.Equal(BindingStatus.Active, _engine.Bindings.Stored(binding.Id).Status);
        Assert.Empty(_engine.Bindings.Events);
    }

    [Fact]
    public async Task Target_ById_OfAnotherCaller_IsNotFound()
    {
        var binding = _engine.SeedActive(line: BusinessLine.Generic);

        var read = await _engine.Lifecycle.ReadAsync(BindingTarget.Id("caller-2", BusinessLine.Generic, binding.Id.ToString()), CancellationToken.None);

        Assert.Equal("binding.not_found", read.Error!.Code);
    }

    // ---------- abort safety

    [Fact]
    public async Task Change_WhoseCallerGoesAwayAfterTheProviderCall_IsStillSaved()
    {
        var binding = _engine.SeedActive();
        using var request = new CancellationTokenSource();
        _engine.Provider.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var change = _engine.Lifecycle.ChangeAsync(Engine.Target(), LifecycleChange.PartyB(Engine.C, BindingErrors.OtherParties), request.Token);
        await _engine.Provider.Arrived.Task;
        await request.CancelAsync(); // the caller disconnects while the provider is changing B
        _engine.Provider.Gate.SetResult();
        var changed = await change;

        Assert.Equal(Engine.C, changed.Value!.PartyB);
        Assert.Equal(Engine.C, _engine.Bindings.Stored(binding.Id).PartyB);
        Assert.False(_engine.Provider.Tokens.Single().IsCancellationRequested, "the provider call was sent with the caller's token");
        Assert.False(_engine.Bindings.SaveTokens.Last().IsCancellationRequested, "the save after the provider call used the caller's token");
    }

    [Fact]
    public async Task Release_WhoseCallerGoesAwayAfterTheUnbind_IsStillSaved()
    {
        var binding = _engine.SeedActive();
        using var request = new CancellationTokenSource();
        _engine.Provider.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var release = _engine.Lifecycle.ReleaseAsync(Engine.Target(), request.Token);
        await _engine.Provider.Arrived.Task;
        await request.CancelAsync();
        _engine.Provider.Gate.SetResult();
        await release;

        Assert.Equal(BindingStatus.Released, _engine.Bindings.Stored(binding.Id).Status);
    }

    [Fact]
    public async Task CommitTimeout_BoundsAChangeOnceSent()
    {
        _engine.SeedActive();

        var tokenSeen = Task.Run(async () =>
        {
            while (_engine.Provider.Tokens.Count == 0)
            {
                await Task.Delay(1); // pacing: a poll
            }

            return _engine.Provider.Tokens[0];
        });
        _engine.Provider.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var change = _engine.Lifecycle.ChangeAsync(Engine.Target(), LifecycleChange.Recording(true), CancellationToken.None);
        var token = await tokenSeen;
        Assert.False(token.IsCancellationRequested);

        _engine.Clock.Advance(_engine.Options.CommitTimeout);

        Assert.True(token.IsCancellationRequested);
        _engine.Provider.Gate.SetResult();
        await change;
    }

    // ---------- the reconciler's and the drift check's settlements

    [Fact]
    public async Task Adopt_ActivatesAPendingBinding_Once()
    {
        var pending = _engine.SeedPending();

        Assert.True(await _engine.Lifecycle.AdoptAsync(pending.Id, new ProviderBinding("S-found", "17000000003", null), CancellationToken.None));
        Assert.False(await _engine.Lifecycle.AdoptAsync(pending.Id, new ProviderBinding("S-found", "17000000003", null), CancellationToken.None));

        Assert.Equal(BindingStatus.Active, _engine.Bindings.Stored(pending.Id).Status);
        Assert.IsType<BindingActivated>(Assert.Single(_engine.Bindings.Events));
    }

    [Fact]
    public async Task FailNotBound_FailsAPendingBinding_WithProviderNotBound()
    {
        var pending = _engine.SeedPending();

        Assert.True(await _engine.Lifecycle.FailNotBoundAsync(pending.Id, CancellationToken.None));

        Assert.Equal("provider.not_bound", Assert.IsType<BindingFailed>(Assert.Single(_engine.Bindings.Events)).Reason);
    }

    [Fact]
    public async Task EndAtProvider_LeavesABindingThatChangedSinceItWasSeen()
    {
        var binding = _engine.SeedActive();
        _engine.Bindings.ChangeStored(binding.Id, b => b.SetRecording(true, _engine.Clock.GetUtcNow()));

        Assert.False(await _engine.Lifecycle.EndAtProviderAsync(binding.Id, binding.Version, CancellationToken.None));
        Assert.True(await _engine.Lifecycle.EndAtProviderAsync(binding.Id, binding.Version + 1, CancellationToken.None));

        Assert.Equal(ReleaseReason.EndedAtProvider, Assert.IsType<BindingReleased>(Assert.Single(_engine.Bindings.Events)).Reason);
    }
}
