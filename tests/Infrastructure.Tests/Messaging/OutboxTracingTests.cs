using System.Diagnostics;
using BindingService.Infrastructure.Messaging;
using BindingService.Infrastructure.Persistence;

namespace BindingService.Infrastructure.Tests.Messaging;

/// <summary>
/// Issue 17: what an outbox row stores of the trace context it was written in, and how it is read back. The end to
/// end behaviour (request → publish span → AMQP header) is in the integration tests (TraceTests).
/// </summary>
public sealed class OutboxTracingTests
{
    [Fact]
    public void ANewRow_CapturesTheCurrentActivity_AsTraceparentAndTracestate()
    {
        using var activity = new Activity("write").SetIdFormat(ActivityIdFormat.W3C);
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        activity.TraceStateString = "vendor=abc";
        activity.Start();

        var row = new OutboxMessage { MessageType = "BindingCreated", Payload = "{}" };

        Assert.Equal($"00-{activity.TraceId}-{activity.SpanId}-01", row.TraceParent);
        Assert.Equal(activity.Id, row.TraceParent);
        Assert.Equal("vendor=abc", row.TraceState);
        Assert.Equal(OutboxTracing.TraceParentLength, row.TraceParent!.Length);
    }

    [Fact]
    public void ANewRow_WithoutAnActivity_OrWithAHierarchicalOne_StoresNoContext()
    {
        Activity.Current = null;
        var none = new OutboxMessage { MessageType = "BindingCreated", Payload = "{}" };
        Assert.Null(none.TraceParent);
        Assert.Null(none.TraceState);

        using var hierarchical = new Activity("write").SetIdFormat(ActivityIdFormat.Hierarchical).Start();
        var row = new OutboxMessage { MessageType = "BindingCreated", Payload = "{}" };
        Assert.Null(row.TraceParent);
    }

    [Fact]
    public void AnUnsampledContext_KeepsItsFlag()
    {
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
        Assert.EndsWith("-00", OutboxTracing.Format(context));
    }

    [Fact]
    public void AStoredContext_ParsesBack_AsARemoteParent()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();

        Assert.True(OutboxTracing.TryParse($"00-{traceId}-{spanId}-01", "vendor=abc", out var context));

        Assert.Equal(traceId, context.TraceId);
        Assert.Equal(spanId, context.SpanId);
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.Equal("vendor=abc", context.TraceState);
        Assert.True(context.IsRemote);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-traceparent")]
    [InlineData("00-00000000000000000000000000000000-0000000000000000-01")]
    public void NoOrAnInvalidStoredContext_IsNotAParent(string? traceParent) =>
        Assert.False(OutboxTracing.TryParse(traceParent, null, out _));

    [Fact]
    public void AShortTracestate_IsKeptAsIs_AndABlankOneIsNone()
    {
        Assert.Equal("a=1,b=2", OutboxTracing.TrimTraceState("a=1,b=2"));
        Assert.Null(OutboxTracing.TrimTraceState("  "));
    }

    [Fact]
    public void ATooLongTracestate_LosesItsLongEntriesFirst_ThenEntriesFromTheEnd()
    {
        var longEntry = "big=" + new string('x', 200);
        var entries = Enumerable.Range(0, 40).Select(i => $"v{i:D2}=" + new string('y', 10)).ToList(); // 14 characters each
        entries.Insert(1, longEntry);
        var traceState = string.Join(',', entries);
        Assert.True(traceState.Length > OutboxTracing.MaxTraceStateLength);

        var trimmed = OutboxTracing.TrimTraceState(traceState)!;

        Assert.True(trimmed.Length <= OutboxTracing.MaxTraceStateLength, $"{trimmed.Length} characters");
        Assert.DoesNotContain("big=", trimmed, StringComparison.Ordinal);
        Assert.StartsWith("v00=", trimmed, StringComparison.Ordinal);
        Assert.StartsWith(trimmed, string.Join(',', entries.Where(e => e != longEntry)), StringComparison.Ordinal);
    }
}
