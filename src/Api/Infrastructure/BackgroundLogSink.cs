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
/// time that spinning was a seventh of the API's CPU; docs/performance.md, round 5.) Woken, the writer lingers a
/// moment (<see cref="DefaultLinger"/>) so that the events of the next few requests go with the first: at a few hundred
/// requests a second it wakes about fifty times a second instead of once per event, and each batch ends with one
/// flush (<see cref="StdoutJsonSink"/>: one <c>write()</c> for the batch; docs/performance.md, round 8). A line thus
/// reaches stdout up to that long after it was logged. Disposal ends a linger, drains what is buffered, then disposes
/// the sinks.
/// </summary>
public sealed class BackgroundLogSink : ILogEventSink, IDisposable
{
    /// <summary>How long the writer waits, once woken by an event, before it writes what has arrived.</summary>
    public static readonly TimeSpan DefaultLinger = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogEventSink _sinks;
    private readonly Action? _afterBatch;
    private readonly TimeSpan _linger;
    private readonly Channel<LogEvent> _buffer;
    private readonly Task _writer;
    private readonly CancellationTokenSource _stopping = new(); // cancelled, never disposed: a late writer may still read it
    private long _dropped;
    private int _buffered;

    /// <param name="sinks">Where the events go.</param>
    /// <param name="capacity">Events the buffer holds before new ones are dropped.</param>
    /// <param name="afterBatch">Called when a batch has been written (e.g. <see cref="StdoutJsonSink.Flush"/>).</param>
    /// <param name="linger">How long a woken writer waits before writing (<see cref="DefaultLinger"/> when null).</param>
    public BackgroundLogSink(ILogEventSink sinks, int capacity, Action? afterBatch = null, TimeSpan? linger = null)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _linger = linger ?? DefaultLinger;
        ArgumentOutOfRangeException.ThrowIfLessThan(_linger, TimeSpan.Zero);
        _sinks = sinks;
        _afterBatch = afterBatch;
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
        _stopping.Cancel(); // ends a linger now: what is buffered is written at once
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
            if (_linger > TimeSpan.Zero)
            {
                await Task.Delay(_linger, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

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

            try
            {
                _afterBatch?.Invoke();
            }
            catch (Exception ex)
            {
                SelfLog.WriteLine("A log sink failed to write a batch: {0}", ex);
            }
        }
    }
}
