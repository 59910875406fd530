using BindingService.Application.Calls;
using BindingService.Contracts;

namespace BindingService.Application.Tests;

/// <summary>
/// The receipt rules of docs/receipts.md ('Processing'), on <see cref="CallRecord"/> alone: events follow the call
/// whatever order the receipts come in, a duplicate adds nothing, a recording waits for its call record, a call with no
/// binding in effect yields one CallToUnboundNumber.
/// </summary>
public sealed class CallRecordTests
{
    private static readonly DateTimeOffset CallTime = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = CallTime.AddMinutes(1);
    private static readonly CallBinding InEffect = new(Guid.NewGuid(), "caller-1", "ride", "ride-1", InEffectAtCallTime: true);

    [Fact]
    public void StartThenReport_YieldStartedThenEnded_WithTheCallsFacts()
    {
        var call = New();
        Assert.Equal(["CallStarted"], Apply(call, Start(), InEffect));
        var ended = Assert.IsType<CallEnded>(Assert.Single(call.ApplyAndTake(Report(), InEffect)));
        Assert.True(ended.Connected);
        Assert.Equal(30, ended.DurationSeconds);
        Assert.Equal("caller", ended.ReleaseDirection);
        Assert.Equal("fromPartyA", ended.Direction);
        Assert.Equal("138****0001", ended.CallerMasked);
        Assert.Equal("139****0002", ended.CalleeMasked);
        Assert.Equal("ride-1", ended.OrderId);
    }

    [Fact]
    public void ReportBeforeStart_YieldsStartedAndEndedTogether_AndTheLateStartNothing()
    {
        var call = New();
        Assert.Equal(["CallStarted", "CallEnded"], Apply(call, Report(), InEffect));
        Assert.Empty(Apply(call, Start(), InEffect));
    }

    [Fact]
    public void Duplicates_AddNothing()
    {
        var call = New();
        Apply(call, Start(), InEffect);
        Apply(call, Report(), InEffect);
        Assert.Empty(Apply(call, Report(), InEffect));
        Assert.Empty(Apply(call, Start(), InEffect));
    }

    [Fact]
    public void RecordingBeforeTheCallRecord_WaitsForIt()
    {
        var call = New();
        Assert.Empty(Apply(call, new CallReceipt(ReceiptKind.Recording, "c1"), InEffect));
        Assert.Equal(["CallStarted", "CallEnded", "RecordingReady"], Apply(call, Report(), InEffect));
    }

    [Fact]
    public void ReportWithoutAnswer_IsNotConnected_NoAnswer_OrTheProvidersCause()
    {
        var unanswered = New();
        var ended = unanswered.ApplyAndTake(Report() with { AnsweredAt = null, ReleaseCause = 19 }, InEffect).OfType<CallEnded>().Single();
        Assert.False(ended.Connected);
        Assert.Equal("noAnswer", ended.NotConnectedReason);
        Assert.Equal(0, ended.DurationSeconds);

        var blacklisted = New();
        Assert.Equal("blacklisted", blacklisted.ApplyAndTake(Report() with { AnsweredAt = null, UnconnectedCause = 1 }, InEffect).OfType<CallEnded>().Single().NotConnectedReason);
    }

    [Theory]
    [InlineData("NO_SUBS_EXIST", null, true, "noSubsExist")]
    [InlineData(null, 2, true, "noBinding")]
    [InlineData(null, 0, false, "bindingEnded")]
    public void CallWithNoBindingInEffect_YieldsOnlyCallToUnboundNumber(string? controlMessage, int? cause, bool bindingInEffect, string reason)
    {
        var call = New();
        var binding = InEffect with { InEffectAtCallTime = bindingInEffect };
        var events = call.ApplyAndTake(Start() with { ControlMessage = controlMessage, UnconnectedCause = cause }, binding);
        var unbound = Assert.IsType<CallToUnboundNumber>(Assert.Single(events));
        Assert.Equal(reason, unbound.Reason);
        Assert.Empty(Apply(call, Report() with { ControlMessage = controlMessage, UnconnectedCause = cause }, binding));
        Assert.Empty(Apply(call, new CallReceipt(ReceiptKind.Recording, "c1"), binding));
    }

    [Fact]
    public void EventsOfOneSave_HaveIdsInTheCallsOrder()
    {
        var events = New().ApplyAndTake(Report(), InEffect);
        Assert.True(events[0].EventId.CompareTo(events[1].EventId) < 0);
    }

    private static CallRecord New() => new() { CallId = "c1", CreatedAt = Now, UpdatedAt = Now };

    private static List<string> Apply(CallRecord call, CallReceipt receipt, CallBinding binding) =>
        [.. call.ApplyAndTake(receipt, binding).Select(e => e.GetType().Name)];

    private static CallReceipt Start() => new(ReceiptKind.Start, "c1")
    {
        PhoneNo = "13800000001", PeerNo = "13900000002", SecretNo = "17000000001", CallType = 0, CallTime = CallTime,
    };

    private static CallReceipt Report() => Start() with
    {
        Kind = ReceiptKind.Report,
        AnsweredAt = CallTime.AddSeconds(5),
        ReleasedAt = CallTime.AddSeconds(35),
        ReleaseDirection = 1,
        ReleaseCause = 16,
        UnconnectedCause = 0,
    };
}

internal static class CallRecordTestExtensions
{
    /// <summary>Applies a receipt and takes the events then due.</summary>
    public static IReadOnlyList<ICallEvent> ApplyAndTake(this CallRecord call, CallReceipt receipt, CallBinding binding)
    {
        call.Apply(receipt, binding, DateTimeOffset.UtcNow);
        return call.DueEvents(DateTimeOffset.UtcNow, TimeSpan.FromDays(14));
    }
}
