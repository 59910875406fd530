namespace BindingService.Application.Tests.Fakes;

/// <summary>
/// A clock for the engine's rules without waiting: time stands still until something waits. A timer of at most
/// <see cref="ShortWait"/> (a poll while a binding is Pending) moves the clock forward by its due time and fires at
/// once; a longer one (Protection:CommitTimeout) fires only when <see cref="Advance"/> passes it.
/// </summary>
public sealed class TestClock : TimeProvider
{
    public static readonly TimeSpan ShortWait = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly List<LongTimer> _long = [];
    private DateTimeOffset _now = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock and fires the long timers it passes.</summary>
    public void Advance(TimeSpan by)
    {
        List<LongTimer> due;
        lock (_lock)
        {
            _now += by;
            due = [.. _long.Where(t => t.DueAt <= _now)];
            _long.RemoveAll(due.Contains);
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return new LongTimer(this, callback, state, DateTimeOffset.MaxValue);
        }

        if (dueTime <= ShortWait)
        {
            lock (_lock)
            {
                _now += dueTime;
            }

            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new LongTimer(this, callback, state, DateTimeOffset.MaxValue);
        }

        var timer = new LongTimer(this, callback, state, GetUtcNow() + dueTime);
        lock (_lock)
        {
            _long.Add(timer);
        }

        return timer;
    }

    private void Remove(LongTimer timer)
    {
        lock (_lock)
        {
            _long.Remove(timer);
        }
    }

    private sealed class LongTimer(TestClock clock, TimerCallback callback, object? state, DateTimeOffset dueAt) : ITimer
    {
        public DateTimeOffset DueAt { get; } = dueAt;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
