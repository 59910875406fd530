using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// Traces and metrics of the Aliyun adapter, named "BindingService.Aliyun" (picked up by the service's
/// "BindingService.*" OpenTelemetry registration). Tags carry the action, the provider code and the outcome,
/// never a phone number.
/// </summary>
public sealed class AliyunTelemetry
{
    public const string Name = "BindingService.Aliyun";
    public const string CallsInstrument = "bindingservice.aliyun.calls";
    public const string DurationInstrument = "bindingservice.aliyun.call.duration";

    internal static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> calls;
    private readonly Histogram<double> duration;

    public AliyunTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        calls = meter.CreateCounter<long>(CallsInstrument, "{call}", "Aliyun API calls by action, provider code and outcome.");
        duration = meter.CreateHistogram<double>(DurationInstrument, "s", "Duration of Aliyun API calls, retries included.");
    }

    internal void Record(string action, string code, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "aliyun.action", action }, { "aliyun.code", code }, { "outcome", outcome } };
        calls.Add(1, tags);
        duration.Record(elapsed.TotalSeconds, tags);
    }
}
