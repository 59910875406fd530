using System.Diagnostics.Metrics;
using BindingService.Infrastructure.Aliyun;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Infrastructure.Tests.Aliyun.Support;

/// <summary>Records the measurements of the Aliyun meter of one test host (not of other hosts running in parallel).</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly List<(string Instrument, Dictionary<string, object?> Tags)> measurements = [];

    public MetricRecorder(AliyunTestHost host)
    {
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AliyunTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Add(instrument, tags));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Add(instrument, tags));
        listener.Start();
    }

    public IReadOnlyList<Dictionary<string, object?>> Of(string instrument)
    {
        lock (measurements)
        {
            return measurements.Where(m => m.Instrument == instrument).Select(m => m.Tags).ToList();
        }
    }

    public void Dispose() => listener.Dispose();

    private void Add(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (measurements)
        {
            measurements.Add((instrument.Name, copy));
        }
    }
}
