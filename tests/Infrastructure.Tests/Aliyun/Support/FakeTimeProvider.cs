namespace BindingService.Infrastructure.Tests.Aliyun.Support;

/// <summary>
/// A clock whose wall time is set by the test. Timers and timestamps stay real (the base implementation),
/// so timeouts and back-off delays still elapse while Timestamp and China-time values are deterministic.
/// </summary>
internal sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long utcTicks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref utcTicks, by.Ticks);
}
