namespace BindingService.AliyunSimulator.Tests.Support;

/// <summary>
/// A wall clock the test moves by hand. Only <see cref="GetUtcNow"/> is faked: timestamps and timers stay real,
/// so Kestrel's own timing is unaffected.
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    /// <summary>2026-03-01 02:00:00 UTC, i.e. 10:00:00 China time.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 3, 1, 2, 0, 0, TimeSpan.Zero);

    private readonly Lock gate = new();
    private DateTimeOffset now = start;

    public FakeTimeProvider()
        : this(DefaultStart)
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }
}
