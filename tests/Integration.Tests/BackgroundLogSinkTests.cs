using BindingService.Api.Infrastructure;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace BindingService.Integration.Tests;

/// <summary>
/// The log buffer in front of stdout and the file (Api/Infrastructure/BackgroundLogSink.cs): events reach the sinks in
/// order; a stalled sink never stalls the code that logs — a full buffer drops new events and counts them —; a failing
/// sink does not stop the writing; disposal writes what is buffered. No servers needed.
/// </summary>
public sealed class BackgroundLogSinkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Events_ReachTheSinks_InOrder_AndDisposalDrainsTheBuffer()
    {
        var sink = new RecordingSink();
        var buffer = new BackgroundLogSink(sink, capacity: 1_000);
        for (var i = 0; i < 500; i++)
        {
            buffer.Emit(Event(i));
        }

        buffer.Dispose();

        Assert.Equal(Enumerable.Range(0, 500), sink.Numbers());
        Assert.Equal(0, buffer.Dropped);
        Assert.Equal(0, buffer.Buffered);
        Assert.True(sink.Disposed, "disposing the buffer disposes its sinks");
    }

    [Fact]
    public async Task AStalledSink_DoesNotStallTheCaller_AFullBufferDropsAndCounts()
    {
        var sink = new RecordingSink { Gate = new ManualResetEventSlim(false) };
        var buffer = new BackgroundLogSink(sink, capacity: 10);

        // The writer takes event 0 and stalls in the sink; the buffer then holds 10 more; 5 after them are dropped.
        buffer.Emit(Event(0));
        Assert.True(sink.Entered.Wait(Patience), "the writer never reached the sink");
        var emitting = Task.Run(() =>
        {
            for (var i = 1; i <= 15; i++)
            {
                buffer.Emit(Event(i));
            }
        });
        await emitting.WaitAsync(Patience); // throws TimeoutException when Emit waited for the stalled sink
        Assert.Equal(5, buffer.Dropped);
        Assert.Equal(10, buffer.Buffered);

        sink.Gate.Set();
        buffer.Dispose();
        Assert.Equal(Enumerable.Range(0, 11), sink.Numbers());
        Assert.Equal(0, buffer.Buffered);
    }

    [Fact]
    public void AFailingSink_DoesNotStopTheWriting()
    {
        var sink = new RecordingSink { FailOn = 3 };
        var buffer = new BackgroundLogSink(sink, capacity: 100);
        for (var i = 0; i < 6; i++)
        {
            buffer.Emit(Event(i));
        }

        buffer.Dispose();
        Assert.Equal([0, 1, 2, 4, 5], sink.Numbers());
    }

    [Fact]
    public void EventsLoggedWhileTheWriterLingers_AreWrittenAsOneBatch_ThenFlushed()
    {
        var sink = new RecordingSink();
        var batches = new List<int>();
        var buffer = new BackgroundLogSink(sink, capacity: 1_000, afterBatch: () => batches.Add(sink.Numbers().Count), linger: TimeSpan.FromHours(1));
        for (var i = 0; i < 50; i++)
        {
            buffer.Emit(Event(i)); // all within the linger the first one started
        }

        Thread.Sleep(300); // a writer that did not linger would have written them by now
        Assert.Empty(sink.Numbers());
        buffer.Dispose(); // ends the linger

        Assert.Equal(Enumerable.Range(0, 50), sink.Numbers());
        Assert.Equal([50], batches); // one batch, flushed once, after its last event
    }

    [Fact]
    public void AFailingFlush_DoesNotStopTheWriting()
    {
        var sink = new RecordingSink();
        var flushes = 0;
        var buffer = new BackgroundLogSink(sink, capacity: 100, afterBatch: () =>
        {
            Interlocked.Increment(ref flushes);
            throw new IOException("stdout closed");
        }, linger: TimeSpan.Zero);
        buffer.Emit(Event(0));
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref flushes) == 1, Patience), "the first batch was not flushed");
        buffer.Emit(Event(1));
        buffer.Dispose();

        Assert.Equal([0, 1], sink.Numbers());
        Assert.Equal(2, flushes);
    }

    private static LogEvent Event(int n) => new(
        DateTimeOffset.UtcNow, LogEventLevel.Information, exception: null, new MessageTemplateParser().Parse("event {N}"),
        [new LogEventProperty("N", new ScalarValue(n))]);

    private sealed class RecordingSink : ILogEventSink, IDisposable
    {
        private readonly List<int> _numbers = [];

        public ManualResetEventSlim? Gate { get; init; }

        public ManualResetEventSlim Entered { get; } = new(false);

        public int? FailOn { get; init; }

        public bool Disposed { get; private set; }

        public void Emit(LogEvent logEvent)
        {
            Entered.Set();
            Gate?.Wait(Patience);
            var n = (int)((ScalarValue)logEvent.Properties["N"]).Value!;
            if (n == FailOn)
            {
                throw new InvalidOperationException("sink failure");
            }

            lock (_numbers)
            {
                _numbers.Add(n);
            }
        }

        public List<int> Numbers()
        {
            lock (_numbers)
            {
                return [.. _numbers];
            }
        }

        public void Dispose() => Disposed = true;
    }
}
