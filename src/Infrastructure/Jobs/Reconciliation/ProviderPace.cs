using System.Diagnostics;

namespace BindingService.Infrastructure.Jobs.Reconciliation;

/// <summary>Spaces the reconciler's provider calls to at most <c>perSecond</c> (one run, one instance).</summary>
internal sealed class ProviderPace(double perSecond, TimeProvider clock)
{
    private readonly TimeSpan _spacing = TimeSpan.FromSeconds(1 / perSecond);
    private long _next = Stopwatch.GetTimestamp();

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        var wait = Stopwatch.GetElapsedTime(now, _next);
        _next = Math.Max(now, _next) + (long)(_spacing.TotalSeconds * Stopwatch.Frequency);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, cancellationToken);
        }
    }
}
