using System.Diagnostics.Metrics;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Infrastructure.Jobs;

/// <summary>
/// Meter <c>BindingService.Jobs</c>: bindings expired by the sweeper, how long a batch takes, and the sweep lag
/// (seconds between now and the oldest due Active binding, 0 when none) — measured from the database when observed,
/// so every replica reports it, sweeping or not. No tag carries a number.
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

    public ExpirySweeperMetrics(IMeterFactory meterFactory, IServiceScopeFactory scopes, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _scopes = scopes;
        _clock = clock;
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

    private IEnumerable<Measurement<double>> ObserveLag()
    {
        TimeSpan lag;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            lag = MeasureLagAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return []; // the database is unreachable: report nothing rather than a false 0
        }

        return [new Measurement<double>(lag.TotalSeconds)];
    }

    public void Dispose() => _meter.Dispose();
}
