using BindingService.Infrastructure.Health;

namespace BindingService.Infrastructure.Tests.Health;

/// <summary>
/// The rule of <see cref="DatabaseGauge{T}"/> (the pool utilisation, expiry lag and overdue-pending gauges): an
/// observation never waits for a measurement, starts at most one at a time, reports the last good one while it is
/// young enough, and reports nothing after a failure rather than a stale or false value.
/// </summary>
public sealed class DatabaseGaugeTests
{
    /// <summary>Bounds a hang only: every wait below ends as soon as its condition holds.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnObservation_DoesNotWaitForTheMeasurement_AndStartsOnlyOne()
    {
        var pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var measurements = 0;
        using var gauge = new DatabaseGauge<int>(
            _ =>
            {
                Interlocked.Increment(ref measurements);
                return pending.Task;
            },
            refreshAfter: TimeSpan.Zero,
            maxAge: TimeSpan.FromMinutes(5),
            timeout: Bound);

        // The measurement cannot end before SetResult below: an observation that waited for it would time out here.
        Assert.False(await Task.Run(() => gauge.TryObserve(out _)).WaitAsync(Bound));
        for (var i = 0; i < 100; i++)
        {
            Assert.False(gauge.TryObserve(out _));
        }

        await WaitUntilAsync(() => Volatile.Read(ref measurements) == 1);
        Assert.Equal(1, Volatile.Read(ref measurements));

        pending.SetResult(42);
        var value = await ObserveUntilAsync(gauge);
        Assert.Equal(42, value);
    }

    [Fact]
    public async Task AnOldMeasurement_IsRefreshedByTheNextObservation_AndReportedUntilThen()
    {
        var next = 0;
        using var gauge = new DatabaseGauge<int>(_ => Task.FromResult(Interlocked.Increment(ref next)), refreshAfter: TimeSpan.Zero, maxAge: TimeSpan.FromMinutes(5), timeout: Bound);

        Assert.Equal(1, await ObserveUntilAsync(gauge));
        var later = 0;
        await WaitUntilAsync(() => gauge.TryObserve(out later) && later >= 3); // each observation starts the next one
        Assert.True(later >= 3);
    }

    [Fact]
    public async Task AFailedMeasurement_ReportsNothing_UntilOneSucceeds()
    {
        var fail = false;
        using var gauge = new DatabaseGauge<int>(
            _ => Volatile.Read(ref fail) ? Task.FromException<int>(new InvalidOperationException("database down")) : Task.FromResult(7),
            refreshAfter: TimeSpan.Zero,
            maxAge: TimeSpan.FromMinutes(5),
            timeout: Bound);
        Assert.Equal(7, await ObserveUntilAsync(gauge));

        Volatile.Write(ref fail, true);
        await WaitUntilAsync(() => !gauge.TryObserve(out _));

        Volatile.Write(ref fail, false);
        Assert.Equal(7, await ObserveUntilAsync(gauge));
    }

    [Fact]
    public async Task AMeasurementOlderThanMaxAge_IsNotReported_WhileTheNextIsStillRunning()
    {
        var second = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var maxAge = TimeSpan.FromMilliseconds(200);
        using var gauge = new DatabaseGauge<int>(
            _ => Interlocked.Increment(ref calls) == 1 ? Task.FromResult(5) : second.Task,
            refreshAfter: maxAge,
            maxAge: maxAge,
            timeout: Bound);
        Assert.Equal(5, await ObserveUntilAsync(gauge));

        await Task.Delay(maxAge * 2); // the measurement's age passes maxAge; the second one then hangs
        Assert.False(gauge.TryObserve(out _));
        second.SetResult(6);
        Assert.Equal(6, await ObserveUntilAsync(gauge));
    }

    [Fact]
    public async Task AMeasurementThatTakesTooLong_IsCancelled_AndReportsNothing()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gauge = new DatabaseGauge<int>(
            async token =>
            {
                using var _ = token.Register(() => cancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, token);
                return 1;
            },
            refreshAfter: TimeSpan.Zero,
            maxAge: TimeSpan.FromMinutes(5),
            timeout: TimeSpan.FromMilliseconds(50));

        Assert.False(gauge.TryObserve(out _));
        await cancelled.Task.WaitAsync(Bound);
        Assert.False(gauge.TryObserve(out _));
    }

    [Fact]
    public void AfterDispose_NoMeasurementStarts()
    {
        var calls = 0;
        var gauge = new DatabaseGauge<int>(_ => Task.FromResult(Interlocked.Increment(ref calls)), refreshAfter: TimeSpan.Zero, maxAge: TimeSpan.FromMinutes(5), timeout: Bound);
        gauge.Dispose();

        Assert.False(gauge.TryObserve(out _));
        Thread.Sleep(100); // a measurement started by mistake would run on the thread pool meanwhile
        Assert.Equal(0, Volatile.Read(ref calls));
    }

    private static async Task<int> ObserveUntilAsync(DatabaseGauge<int> gauge)
    {
        var value = 0;
        await WaitUntilAsync(() => gauge.TryObserve(out value));
        return value;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {Bound.TotalSeconds} s");
            await Task.Delay(10); // pacing: polls the condition
        }
    }
}
