using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Meter <c>BindingService.Logging</c>: the log sinks are written in the background from a bounded buffer
/// (<see cref="BackgroundLogSink"/>), so a request never waits for stdout; when the buffer is full,
/// new events are dropped rather than stalling the request path. This counts them
/// (<c>bindingservice.logging.dropped</c>) and shows how full the buffers are (<c>bindingservice.logging.buffered</c>).
/// </summary>
public sealed class LogBufferMetrics : IDisposable
{
    public const string MeterName = "BindingService.Logging";
    public const string DroppedName = "bindingservice.logging.dropped";
    public const string BufferedName = "bindingservice.logging.buffered";

    /// <summary>Events the buffer holds before new ones are dropped.</summary>
    public const int BufferSize = 10_000;

    private readonly ConcurrentDictionary<BackgroundLogSink, byte> _buffers = new();
    private readonly Meter _meter;

    public LogBufferMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter(DroppedName, () => _buffers.Keys.Sum(b => b.Dropped), unit: "{event}", description: "Log events dropped because a sink's buffer was full (the sink could not keep up).");
        _meter.CreateObservableGauge(BufferedName, () => _buffers.Keys.Sum(b => (long)b.Buffered), unit: "{event}", description: $"Log events waiting to be written ({BufferSize} at most).");
    }

    /// <summary>Reports <paramref name="sink"/>'s buffer; returns it.</summary>
    public BackgroundLogSink Track(BackgroundLogSink sink)
    {
        _buffers.TryAdd(sink, 0);
        return sink;
    }

    public void Dispose() => _meter.Dispose();
}
