using System.Diagnostics;
using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Numbers;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Jobs.Reconciliation;

/// <summary>
/// Every Interval: audits each pool (<see cref="PoolAudit"/>: settle old Pending bindings, unbind orphans) and checks a
/// batch of Active bindings for drift (<see cref="DriftCheck"/>); logs one summary per run that did anything and
/// exports the counts (<see cref="ReconcilerMetrics"/>). Safe on any number of replicas. On shutdown it stops between
/// provider calls; a settlement it started is saved.
/// </summary>
public sealed partial class Reconciler : PeriodicJob
{
    private readonly IOptions<ReconcilerOptions> _options;
    private readonly IProviderPools _pools;
    private readonly PoolAudit _audit;
    private readonly DriftCheck _drift;
    private readonly ReconcilerMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<Reconciler> _logger;

    public Reconciler(
        IServiceScopeFactory scopes,
        IOptions<ReconcilerOptions> options,
        IProviderPools pools,
        IPrivacyNumberProvider provider,
        Security.PhoneNumberProtector protector,
        IOptionsMonitor<NumberSelectionOptions> numberSelection,
        ReconcilerMetrics metrics,
        TimeProvider clock,
        ILoggerFactory loggers)
        : base(clock, loggers.CreateLogger<Reconciler>())
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _pools = pools;
        _metrics = metrics;
        _clock = clock;
        _logger = loggers.CreateLogger<Reconciler>();
        _audit = new PoolAudit(scopes, provider, protector, numberSelection, clock, loggers.CreateLogger<PoolAudit>());
        _drift = new DriftCheck(scopes, provider, clock, loggers.CreateLogger<DriftCheck>());
    }

    protected override string JobName => "Reconciler";

    protected override bool Enabled => _options.Value.Enabled;

    protected override TimeSpan Interval => _options.Value.Interval;

    protected override Task RunScheduledAsync(CancellationToken stoppingToken) => RunOnceAsync(stoppingToken);

    /// <summary>One run over every pool and one drift batch; returns (and logs) what it did.</summary>
    public async Task<ReconciliationSummary> RunOnceAsync(CancellationToken stoppingToken)
    {
        var settings = _options.Value;
        var started = Stopwatch.GetTimestamp();
        var pace = new ProviderPace(settings.ProviderCallsPerSecond, _clock);
        var summary = new ReconciliationSummary();
        try
        {
            foreach (var pool in Pools())
            {
                summary.Add(await _audit.AuditAsync(pool, settings, pace, stoppingToken));
            }

            summary.Add(await _drift.CheckAsync(settings, pace, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: report what was done
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        _metrics.RunCompleted(summary, elapsed);
        if (!summary.IsEmpty)
        {
            LogSummary(
                _logger, summary.PoolsScanned, summary.NumbersScanned, summary.Adopted, summary.Failed, summary.OrphansUnbound,
                summary.StaleUnbound, summary.DriftChecked, summary.DriftRepaired, summary.EndedAtProvider, summary.ProviderErrors,
                summary.PoolsBusy, elapsed.TotalSeconds);
        }

        return summary;
    }

    /// <summary>The configured pools of every product and business line, and any pool a Pending binding is in.</summary>
    /// <summary>
    /// The pools the service is configured for (its own and those of Protection:CallerPools), never another: a pool may be
    /// shared with other systems, whose bindings are not ours to settle or unbind. Callers can bind only in these pools.
    /// </summary>
    private IReadOnlyList<string> Pools() => [.. _pools.Configured];

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciler run: {Pools} pools walked ({Numbers} numbers), {Adopted} pending adopted, {Failed} pending failed, {Orphans} orphans unbound, {Stale} stale unbound, {Checked} drift-checked, {Repaired} repaired, {Ended} ended at provider, {Errors} provider errors, {Busy} pools busy elsewhere, in {Seconds:F1} s")]
    private static partial void LogSummary(ILogger logger, int pools, int numbers, int adopted, int failed, int orphans, int stale, int @checked, int repaired, int ended, int errors, int busy, double seconds);
}
