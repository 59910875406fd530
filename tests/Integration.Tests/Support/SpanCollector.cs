using System.Collections;
using System.Diagnostics;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// The spans an OpenTelemetry in-memory exporter receives, safe to read while the service adds to them. Attached to a
/// service instance's own tracer provider (<see cref="TracedInstances.TracedInstance"/>), it sees what that provider
/// records — the service's real source registration — and, since activity listeners are process-wide, the spans of
/// every instance of this test process.
/// </summary>
public sealed class SpanCollector : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private readonly Lock _lock = new();

    /// <summary>A copy of the spans exported so far.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_lock)
            {
                return [.. _spans];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    /// <summary>Waits until a span matching <paramref name="predicate"/> was exported (a span is exported when it ends).</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> predicate, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (Spans.FirstOrDefault(predicate) is { } span)
            {
                return span;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No exported span is {what} ({Count} exported).");
            }

            await Task.Delay(50); // pacing: polls the collected spans
        }
    }

    public void Add(Activity item)
    {
        lock (_lock)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_lock)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_lock)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_lock)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => Spans.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

public static class TracedInstances
{
    /// <summary>
    /// A service instance (own host, background jobs, dispatcher) of <paramref name="factory"/> whose tracer provider —
    /// configured by the service's own telemetry setup — also exports to <paramref name="spans"/> in memory, with
    /// <paramref name="configure"/> applied to its services (e.g. a <see cref="TimeProvider"/>).
    /// </summary>
    public static WebApplicationFactory<BindingService.Api.Infrastructure.CallerContext> TracedInstance(
        this WebApplicationFactory<BindingService.Api.Infrastructure.CallerContext> factory,
        SpanCollector spans,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            configure?.Invoke(services);
        }));
}
