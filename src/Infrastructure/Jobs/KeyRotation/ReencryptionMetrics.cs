using System.Diagnostics.Metrics;

namespace BindingService.Infrastructure.Jobs.KeyRotation;

/// <summary>
/// Meter <c>BindingService.Jobs</c>: rows the re-encryption job rewrote or found unreadable, and the rows still to move
/// to the active keys as counted at the end of this instance's last run. No tag carries a number.
/// </summary>
public sealed class ReencryptionMetrics : IDisposable
{
    public const string RowsName = "bindingservice.jobs.reencryption.rows";
    public const string RemainingName = "bindingservice.jobs.reencryption.remaining";

    private readonly Meter _meter;
    private readonly Counter<long> _rows;
    private long _remaining = -1;

    public ReencryptionMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(ExpirySweeperMetrics.MeterName);
        _rows = _meter.CreateCounter<long>(RowsName, unit: "{row}", description: "Rows the re-encryption job handled, by outcome (reencrypted, unreadable).");
        _meter.CreateObservableGauge(RemainingName, ObserveRemaining, unit: "{row}", description: "Rows not yet under the active encryption key and hash version (readable ones), at the end of the last run.");
    }

    /// <summary>The remaining count of the last run; -1 before the first.</summary>
    public long Remaining => Interlocked.Read(ref _remaining);

    public void Rows(string outcome, int count)
    {
        if (count > 0)
        {
            _rows.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void SetRemaining(long remaining) => Interlocked.Exchange(ref _remaining, remaining);

    private IEnumerable<Measurement<long>> ObserveRemaining() =>
        Remaining < 0 ? [] : [new Measurement<long>(Remaining)];

    public void Dispose() => _meter.Dispose();
}
