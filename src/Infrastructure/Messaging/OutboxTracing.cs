using System.Diagnostics;
using System.Globalization;

namespace BindingService.Infrastructure.Messaging;

/// <summary>
/// W3C trace context across the outbox (issue 17): an outbox row stores the <c>traceparent</c>/<c>tracestate</c> of the
/// activity that wrote it (<see cref="Capture"/>, called by <see cref="Persistence.OutboxMessage"/> itself), and the
/// <see cref="OutboxDispatcher"/> publishes the row in a producer span of the source "BindingService.Outbox" (picked up
/// by the service's "BindingService.*" OpenTelemetry registration) whose parent is that stored context, so the
/// request or job run that caused an event and the consumers of the event share one trace. No phone number is ever
/// part of a trace context or of these spans' tags.
/// </summary>
public static class OutboxTracing
{
    /// <summary>The activity source of the dispatcher's publish spans.</summary>
    public const string SourceName = "BindingService.Outbox";

    /// <summary>The W3C Trace Context header a consumer reads (AMQP header, string value).</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The W3C vendor trace state header, sent only when there is a trace state.</summary>
    public const string TraceStateHeader = "tracestate";

    /// <summary>Length of a version-00 <c>traceparent</c> (<c>00-{32 hex}-{16 hex}-{2 hex}</c>), the column's size.</summary>
    public const int TraceParentLength = 55;

    /// <summary>
    /// The longest <c>tracestate</c> stored (and the column's size): W3C asks vendors to propagate at least 512
    /// characters and lets longer values be truncated by whole entries (<see cref="TrimTraceState"/>).
    /// </summary>
    public const int MaxTraceStateLength = 512;

    /// <summary>Entries longer than this are the first ones dropped when a trace state is too long (W3C rule).</summary>
    private const int LongTraceStateEntry = 128;

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// The trace context of <paramref name="activity"/> (normally <see cref="Activity.Current"/>) as the two stored
    /// strings, or nulls when there is no activity or it does not use W3C ids. Never throws: the row's transaction
    /// must not depend on tracing.
    /// </summary>
    public static (string? TraceParent, string? TraceState) Capture(Activity? activity)
    {
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return (null, null);
        }

        var context = activity.Context;
        return context.TraceId == default || context.SpanId == default
            ? (null, null)
            : (Format(context), TrimTraceState(activity.TraceStateString));
    }

    /// <summary>A version-00 <c>traceparent</c>: <c>00-{trace id}-{span id}-{01 if sampled, else 00}</c>.</summary>
    public static string Format(ActivityContext context) => string.Create(
        CultureInfo.InvariantCulture,
        $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}");

    /// <summary>Reads a stored context back (as remote: it may come from another replica); false when none or invalid.</summary>
    public static bool TryParse(string? traceParent, string? traceState, out ActivityContext context)
    {
        if (string.IsNullOrEmpty(traceParent))
        {
            context = default;
            return false;
        }

        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out context);
    }

    /// <summary>
    /// <paramref name="traceState"/> cut to at most <see cref="MaxTraceStateLength"/> characters the way W3C Trace
    /// Context allows: entries longer than 128 characters go first, then entries from the end. Null when empty.
    /// </summary>
    public static string? TrimTraceState(string? traceState)
    {
        if (string.IsNullOrWhiteSpace(traceState))
        {
            return null;
        }

        if (traceState.Length <= MaxTraceStateLength)
        {
            return traceState;
        }

        var entries = traceState.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        for (var i = entries.Count - 1; i >= 0 && Joined(entries) > MaxTraceStateLength; i--)
        {
            if (entries[i].Length > LongTraceStateEntry)
            {
                entries.RemoveAt(i);
            }
        }

        while (entries.Count > 0 && Joined(entries) > MaxTraceStateLength)
        {
            entries.RemoveAt(entries.Count - 1);
        }

        return entries.Count == 0 ? null : string.Join(',', entries);

        static int Joined(List<string> list) => list.Sum(e => e.Length) + Math.Max(0, list.Count - 1);
    }
}
