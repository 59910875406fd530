using System.Diagnostics;

namespace BindingService.Infrastructure.Health;

/// <summary>
/// A value an observable gauge reads from the database, without ever blocking the thread that observes it: a metrics
/// callback runs synchronously (on a scrape's request thread, or an exporter's), and a database query waited for there
/// holds that thread for a round trip — with inline socket completions (docs/performance.md) it could be the thread
/// that has to deliver the query's own answer. <see cref="TryObserve"/> returns the last measurement and, when it is
/// older than <c>refreshAfter</c>, starts one measurement in the background (never two at once); so a scrape sees the
/// value measured after the scrape before it. Nothing is reported before the first measurement, after a failed one
/// (rather than a false 0 or a frozen value), or when the last one is older than <c>maxAge</c>.
/// </summary>
public sealed class DatabaseGauge<T> : IDisposable
{
    private readonly Func<CancellationToken, Task<T>> _measure;
    private readonly TimeSpan _refreshAfter;
    private readonly TimeSpan _maxAge;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _disposed = new();
    private volatile Snapshot? _last;
    private int _refreshing;

    /// <param name="measure">Reads the value (any failure means "unknown").</param>
    /// <param name="refreshAfter">The age from which an observation starts a new measurement.</param>
    /// <param name="maxAge">The age from which the last measurement is no longer reported.</param>
    /// <param name="timeout">How long one measurement may take.</param>
    public DatabaseGauge(Func<CancellationToken, Task<T>> measure, TimeSpan refreshAfter, TimeSpan maxAge, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, refreshAfter);
        _measure = measure;
        _refreshAfter = refreshAfter;
        _maxAge = maxAge;
        _timeout = timeout;
    }

    /// <summary>The last measurement, if there is one young enough; starts a new one when it is due. Never blocks.</summary>
    public bool TryObserve(out T value)
    {
        var last = _last;
        var age = last is null ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(last.At);
        if (age >= _refreshAfter)
        {
            StartMeasurement();
        }

        if (last is not null && age < _maxAge)
        {
            value = last.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private void StartMeasurement()
    {
        if (_disposed.IsCancellationRequested || Interlocked.Exchange(ref _refreshing, 1) == 1)
        {
            return;
        }

        _ = Task.Run(MeasureInBackgroundAsync);
    }

    private async Task MeasureInBackgroundAsync()
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
            timeout.CancelAfter(_timeout);
            var value = await _measure(timeout.Token).ConfigureAwait(false);
            _last = new Snapshot(value, Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _last = null; // unreachable database, timeout, shutdown: report nothing until a measurement succeeds
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private sealed record Snapshot(T Value, long At);
}
