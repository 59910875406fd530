using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BindingService.Infrastructure.Numbers;

/// <summary>
/// Meter <c>BindingService.Numbers</c>: how often a local pool ran out, and how long choosing X takes. Tags carry the
/// pool key and the requested city, never a party's number.
/// </summary>
public sealed class NumberMetrics : IDisposable
{
    public const string MeterName = "BindingService.Numbers";

    private readonly Meter _meter;
    private readonly Counter<long> _exhausted;
    private readonly Histogram<double> _selectionLatency;

    public NumberMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _exhausted = _meter.CreateCounter<long>("bindingservice.numbers.exhausted", unit: "{event}", description: "Bindings refused because a local pool had no free X.");
        _selectionLatency = _meter.CreateHistogram<double>("bindingservice.numbers.selection.duration", unit: "s", description: "Time to choose and reserve X in a local pool.");
    }

    public void Exhausted(string poolKey, string? city) =>
        _exhausted.Add(1, new TagList { { "pool", poolKey }, { "city", city ?? string.Empty } });

    public void Selected(string poolKey, TimeSpan elapsed, bool reserved) =>
        _selectionLatency.Record(elapsed.TotalSeconds, new TagList { { "pool", poolKey }, { "outcome", reserved ? "reserved" : "none" } });

    public void Dispose() => _meter.Dispose();
}
