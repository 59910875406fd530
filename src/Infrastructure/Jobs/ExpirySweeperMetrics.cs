using System.Diagnostics.Metrics;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Health;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Infrastructure.Jobs;

/// <summary>
/// Meter <c>BindingService.Jobs</c>: bindings expired by the sweeper, how long a batch takes, and the sweep lag
/// (seconds between now and the oldest due Active binding, 0 when none) — measured from the database in the background
/// when observed, so every replica reports it, sweeping or not (a scrape sees the lag measured after the one before it,
/// see <see cref="DatabaseGauge{T}"/>). No tag carries a number.
/// </summary>
public sealed class ExpirySweeperMetrics : IDisposable
{
    public const string MeterName = "BindingService.Jobs";
    public const string ExpiredName = "bindingservice.jobs.expiry.expired";
    public const string LagName = "bindingservice.jobs.expiry.lag";
    public const string BatchDurationName = "bindingservice.jobs.expiry.batch.duration";

    private readonly Meter _meter;
    private readonly Counter<long> _expired;
    private readonly Histogram<double> _batchDuration;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly DatabaseGauge<TimeSpan> _lag;

    public ExpirySweeperMetrics(IMeterFactory meterFactory, IServiceScopeFactory scopes, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _scopes = scopes;
        _clock = clock;
        _lag = new DatabaseGauge<TimeSpan>(MeasureLagAsync, refreshAfter: TimeSpan.FromSeconds(1), maxAge: TimeSpan.FromMinutes(5), timeout: TimeSpan.FromSeconds(5));
        _meter = meterFactory.Create(MeterName);
        _expired = _meter.CreateCounter<long>(ExpiredName, unit: "{binding}", description: "Bindings marked Expired by the expiry sweeper.");
        _batchDuration = _meter.CreateHistogram<double>(BatchDurationName, unit: "s", description: "Time of one expiry sweeper batch (select, expire, save, commit).");
        _meter.CreateObservableGauge(LagName, ObserveLag, unit: "s", description: "Seconds between now and the oldest Active binding past its expiry (0 when none).");
    }

    public void Expired(int count) => _expired.Add(count);

    public void BatchCompleted(TimeSpan elapsed) => _batchDuration.Record(elapsed.TotalSeconds);

    /// <summary>Now minus the oldest due Active binding's expiry, zero when none is due.</summary>
    public async Task<TimeSpan> MeasureLagAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        var now = _clock.GetUtcNow();
        var oldest = await db.Bindings.AsNoTracking()
            .Where(b => b.Status == BindingStatus.Active && b.ExpiresAt <= now)
            .MinAsync(b => (DateTimeOffset?)b.ExpiresAt, cancellationToken);
        return oldest is { } due && now > due ? now - due : TimeSpan.Zero;
    }

    // Nothing when the database could not be read: no false 0.
    private IEnumerable<Measurement<double>> ObserveLag() =>
        _lag.TryObserve(out var lag) ? [new Measurement<double>(lag.TotalSeconds)] : [];

    public void Dispose()
    {
        _meter.Dispose();
        _lag.Dispose();
    }
}
