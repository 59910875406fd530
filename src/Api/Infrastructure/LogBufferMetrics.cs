using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Serilog.Sinks.Async;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Meter <c>BindingService.Logging</c>: the log sinks are written by a background worker from a bounded buffer (see
/// <see cref="Observability.AddStructuredLogging"/>), so a request never waits for stdout; when the buffer is full,
/// new events are dropped rather than stalling the request path. This counts them
/// (<c>bindingservice.logging.dropped</c>) and shows how full the buffers are (<c>bindingservice.logging.buffered</c>).
/// </summary>
public sealed class LogBufferMetrics : IAsyncLogEventSinkMonitor, IDisposable
{
    public const string MeterName = "BindingService.Logging";
    public const string DroppedName = "bindingservice.logging.dropped";
    public const string BufferedName = "bindingservice.logging.buffered";

    /// <summary>Events a sink's buffer holds before new ones are dropped.</summary>
    public const int BufferSize = 10_000;

    private readonly ConcurrentDictionary<IAsyncLogEventSinkInspector, byte> _buffers = new();
    private readonly Meter _meter;

    public LogBufferMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter(DroppedName, () => _buffers.Keys.Sum(b => b.DroppedMessagesCount), unit: "{event}", description: "Log events dropped because a sink's buffer was full (the sink could not keep up).");
        _meter.CreateObservableGauge(BufferedName, () => _buffers.Keys.Sum(b => (long)b.Count), unit: "{event}", description: $"Log events waiting to be written, over all sinks ({BufferSize} per sink at most).");
    }

    public void StartMonitoring(IAsyncLogEventSinkInspector inspector) => _buffers.TryAdd(inspector, 0);

    public void StopMonitoring(IAsyncLogEventSinkInspector inspector) => _buffers.TryRemove(inspector, out _);

    public void Dispose() => _meter.Dispose();
}
