using System.Diagnostics;
using System.Diagnostics.Metrics;
using BindingService.Application.Abstractions;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// Traces and metrics of the Aliyun adapter, named "BindingService.Aliyun" (picked up by the service's
/// "BindingService.*" OpenTelemetry registration). Tags carry the product, the action, the provider code and the
/// outcome, and for a failure its kind (<c>aliyun.error_kind</c>, e.g. <c>pool_not_found</c>), never a phone number.
/// </summary>
public sealed class AliyunTelemetry
{
    public const string Name = "BindingService.Aliyun";
    public const string CallsInstrument = "bindingservice.aliyun.calls";
    public const string DurationInstrument = "bindingservice.aliyun.call.duration";
    public const string RateLimiterInstrument = "bindingservice.aliyun.ratelimiter.events";
    public const string CircuitInstrument = "bindingservice.aliyun.circuit.transitions";

    internal static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> calls;
    private readonly Histogram<double> duration;
    private readonly Counter<long> rateLimiter;
    private readonly Counter<long> circuit;

    public AliyunTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        calls = meter.CreateCounter<long>(CallsInstrument, "{call}", "Aliyun API calls by product, action, provider code and outcome.");
        duration = meter.CreateHistogram<double>(DurationInstrument, "s", "Duration of Aliyun API calls, retries included.");
        rateLimiter = meter.CreateCounter<long>(RateLimiterInstrument, "{attempt}", "Attempts that waited for (queued) or were refused (rejected) a client-side rate-limit permit.");
        circuit = meter.CreateCounter<long>(CircuitInstrument, "{transition}", "Circuit-breaker state changes by product (opened, half_opened, closed).");
    }

    internal static string ProductTag(AliyunProduct product) => product == AliyunProduct.Dytnsapi ? "dytnsapi" : "dyplsapi";

    /// <summary>The kind as a tag value: PoolNotFound is <c>pool_not_found</c>.</summary>
    internal static string ErrorKindTag(ProviderErrorKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? $"_{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));

    internal void Record(AliyunProduct product, string action, string code, string outcome, TimeSpan elapsed, ProviderErrorKind? errorKind = null)
    {
        var tags = new TagList { { "aliyun.product", ProductTag(product) }, { "aliyun.action", action }, { "aliyun.code", code }, { "outcome", outcome } };
        if (errorKind is { } kind)
        {
            tags.Add("aliyun.error_kind", ErrorKindTag(kind));
        }

        calls.Add(1, tags);
        duration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary><paramref name="event"/>: "queued" or "rejected".</summary>
    internal void RateLimited(AliyunProduct product, string action, string @event) =>
        rateLimiter.Add(1, new TagList { { "aliyun.product", ProductTag(product) }, { "aliyun.action", action }, { "event", @event } });

    /// <summary><paramref name="state"/>: "opened", "half_opened" or "closed".</summary>
    internal void CircuitChanged(AliyunProduct product, string state) =>
        circuit.Add(1, new TagList { { "aliyun.product", ProductTag(product) }, { "state", state } });
}
