using System.Diagnostics.Metrics;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Jobs.Retention;

/// <summary>
/// Erases the phone numbers of bindings that ended (Failed, Released, Expired) more than
/// <see cref="RetentionOptions.NumberRetention"/> ago (docs/operations.md, "Retention"): both ciphertexts become zero
/// bytes (read back as <see cref="Domain.Common.PhoneNumber.Erased"/>), both hashes NULL, and <c>numbers_erased_at</c> is
/// stamped; the binding row itself stays for audit. The sticky-selection rows (<c>party_last_numbers</c>, a party's hash
/// and its last X) last used before the same cut-off are deleted too. Open bindings are never touched; ended bindings
/// never change again, so the aggregate's version is not bumped. Each batch is one statement over rows taken with
/// <c>FOR UPDATE SKIP LOCKED</c> (replicas share the work), served by the partial index <c>ix_bindings_retention_due</c>.
/// </summary>
public sealed partial class RetentionJob(
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    IMeterFactory meterFactory,
    TimeProvider clock,
    ILogger<RetentionJob> logger) : PeriodicJob(clock, logger)
{
    public const string ErasedName = "bindingservice.jobs.retention.erased";

    private readonly Counter<long> _erased = meterFactory.Create(ExpirySweeperMetrics.MeterName)
        .CreateCounter<long>(ErasedName, unit: "{binding}", description: "Ended bindings whose phone numbers the retention job erased.");

    protected override string JobName => "Retention";

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task RunScheduledAsync(CancellationToken stoppingToken) => RunAsync(options.Value, stoppingToken);

    /// <summary>One run: batches until one is short; returns the bindings erased.</summary>
    public async Task<int> RunAsync(RetentionOptions settings, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var now = Clock.GetUtcNow();
        var cutoff = now - settings.NumberRetention;
        var total = 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        while (!stoppingToken.IsCancellationRequested)
        {
            // One statement, one implicit transaction; not cancelled once started.
            var erased = await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE bindings SET party_a_cipher = ''::bytea,
                    party_b_cipher = CASE WHEN party_b_cipher IS NULL THEN NULL ELSE ''::bytea END,
                    party_a_hash = NULL, party_b_hash = NULL, numbers_erased_at = {now}
                WHERE id IN (
                    SELECT id FROM bindings
                    WHERE numbers_erased_at IS NULL AND status IN ('Failed', 'Released', 'Expired') AND ended_at < {cutoff}
                    ORDER BY ended_at
                    LIMIT {settings.BatchSize}
                    FOR UPDATE SKIP LOCKED)
                """,
                CancellationToken.None);
            total += erased;
            if (erased < settings.BatchSize)
            {
                break;
            }
        }

        var sticky = await db.Database.ExecuteSqlAsync($"DELETE FROM party_last_numbers WHERE used_at < {cutoff}", CancellationToken.None);
        if (total > 0)
        {
            _erased.Add(total);
        }

        if (total + sticky > 0)
        {
            LogErased(logger, total, sticky, settings.NumberRetention.TotalDays);
        }

        return total;
    }

    [LoggerMessage(EventId = 4621, Level = LogLevel.Information, Message = "Retention: erased the phone numbers of {Count} ended bindings and {Sticky} sticky-selection rows older than {Days} days")]
    private static partial void LogErased(ILogger logger, int count, int sticky, double days);
}
