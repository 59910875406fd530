using System.Diagnostics.Metrics;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Health;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Jobs.Reconciliation;

/// <summary>
/// Meter <c>BindingService.Jobs</c>: what the reconciler did (counter by <c>outcome</c>), how long a run takes, and the
/// Pending bindings older than PendingAfter (gauge, measured from the database in the background when observed, so
/// every replica reports it; a scrape sees the count measured after the one before it, see
/// <see cref="DatabaseGauge{T}"/>). A
/// steadily non-zero gauge means the reconciler cannot settle them (provider unreachable, reconciler disabled).
/// </summary>
public sealed class ReconcilerMetrics : IDisposable
{
    public const string OutcomesName = "bindingservice.jobs.reconciler.outcomes";
    public const string RunDurationName = "bindingservice.jobs.reconciler.run.duration";
    public const string OverduePendingName = "bindingservice.jobs.reconciler.pending_overdue";

    private readonly Meter _meter;
    private readonly Counter<long> _outcomes;
    private readonly Histogram<double> _runDuration;
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<ReconcilerOptions> _options;
    private readonly TimeProvider _clock;
    private readonly DatabaseGauge<int> _overdue;

    public ReconcilerMetrics(IMeterFactory meterFactory, IServiceScopeFactory scopes, IOptions<ReconcilerOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _scopes = scopes;
        _options = options;
        _clock = clock;
        _overdue = new DatabaseGauge<int>(CountOverduePendingAsync, refreshAfter: TimeSpan.FromSeconds(1), maxAge: TimeSpan.FromMinutes(5), timeout: TimeSpan.FromSeconds(5));
        _meter = meterFactory.Create(ExpirySweeperMetrics.MeterName);
        _outcomes = _meter.CreateCounter<long>(OutcomesName, unit: "{binding}", description: "Reconciler outcomes: adopted, failed, orphan_unbound, foreign_left, stale_unbound, drift_checked, drift_repaired, ended_at_provider, provider_error, number_scanned.");
        _runDuration = _meter.CreateHistogram<double>(RunDurationName, unit: "s", description: "Time of one reconciler run (every pool and the drift batch).");
        _meter.CreateObservableGauge(OverduePendingName, ObserveOverdue, unit: "{binding}", description: "Pending bindings older than Jobs:Reconciler:PendingAfter.");
    }

    public void RunCompleted(ReconciliationSummary summary, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(summary);
        foreach (var (outcome, count) in summary.Outcomes())
        {
            _outcomes.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }

        _runDuration.Record(elapsed.TotalSeconds);
    }

    public async Task<int> CountOverduePendingAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var before = _clock.GetUtcNow() - _options.Value.PendingAfter;
        return await db.Bindings.AsNoTracking().CountAsync(b => b.Status == BindingStatus.Pending && b.CreatedAt <= before, cancellationToken);
    }

    // Nothing when the database could not be read: no false 0.
    private IEnumerable<Measurement<long>> ObserveOverdue() =>
        _overdue.TryObserve(out var count) ? [new Measurement<long>(count)] : [];

    public void Dispose()
    {
        _meter.Dispose();
        _overdue.Dispose();
    }
}
