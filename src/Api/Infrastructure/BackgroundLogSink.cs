using System.Threading.Channels;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Writes its sinks (stdout, and the JSON file when configured) from a bounded buffer, off the request path: a request
/// only queues its event, so it never waits for stdout or the disk; when the buffer is full, new events are dropped and
/// counted (<see cref="LogBufferMetrics"/>). One writer drains the buffer as a thread-pool task that awaits the next
/// event, so an idle sink costs nothing and a busy one writes many events per wake-up. (Serilog.Sinks.Async, used
/// before, waits in a <c>BlockingCollection</c> whose semaphore spins and yields on every wake-up: at one request at a
/// time that spinning was a seventh of the API's CPU; docs/performance.md, round 5.) Disposal drains what is buffered,
/// then disposes the sinks.
/// </summary>
public sealed class BackgroundLogSink : ILogEventSink, IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogEventSink _sinks;
    private readonly Channel<LogEvent> _buffer;
    private readonly Task _writer;
    private long _dropped;
    private int _buffered;

    public BackgroundLogSink(ILogEventSink sinks, int capacity)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _sinks = sinks;
        Capacity = capacity;
        _buffer = Channel.CreateBounded<LogEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite answers false when full: the event is dropped and counted
            SingleReader = true,
            AllowSynchronousContinuations = false, // the writer never runs on the thread that logged
        });
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Events the buffer holds before new ones are dropped.</summary>
    public int Capacity { get; }

    /// <summary>Events waiting to be written.</summary>
    public int Buffered => Volatile.Read(ref _buffered);

    /// <summary>Events dropped because the buffer was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Emit(LogEvent logEvent)
    {
        Interlocked.Increment(ref _buffered);
        if (!_buffer.Writer.TryWrite(logEvent))
        {
            Interlocked.Decrement(ref _buffered);
            Interlocked.Increment(ref _dropped);
        }
    }

    public void Dispose()
    {
        _buffer.Writer.TryComplete();
        if (!_writer.Wait(DrainTimeout))
        {
            SelfLog.WriteLine("The log buffer was not drained within {0}: {1} events not written.", DrainTimeout, Buffered);
        }

        (_sinks as IDisposable)?.Dispose();
    }

    private async Task WriteAsync()
    {
        var reader = _buffer.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var logEvent))
            {
                Interlocked.Decrement(ref _buffered);
                try
                {
                    _sinks.Emit(logEvent);
                }
                catch (Exception ex)
                {
                    SelfLog.WriteLine("A log sink failed to write an event: {0}", ex);
                }
            }
        }
    }
}
