using System.Threading.RateLimiting;
using BindingService.AliyunSimulator.Configuration;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Faults;

/// <summary>
/// Decides, per authenticated request, whether the simulator misbehaves: throttling per action and AccessKeyId at
/// the documented QPS (docs/provider-rules.md R-QPS-1), then, for actions in scope, latency and at most one of an error, a timeout or a
/// dropped connection, drawn from a <see cref="Random"/> seeded by <c>Simulator:Faults:Seed</c> (or
/// <c>Simulator:Seed</c>) so that the same calls in the same order meet the same faults. Settings come from the
/// configuration and can be replaced at run time (<c>/_sim/faults</c>); every injected fault is counted and logged.
/// </summary>
public sealed class FaultInjector : IDisposable
{
    public const string LoggerCategory = "BindingService.AliyunSimulator.Faults";

    private static readonly TimeSpan ThrottlingWindow = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private readonly int defaultSeed;
    private readonly IReadOnlyDictionary<string, int> businessErrorHttpStatus;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly CancellationToken stopping;
    private readonly SortedDictionary<string, SortedDictionary<string, long>> counters = new(StringComparer.Ordinal);

    private ThrottlingOptions throttling = new();
    private PartitionedRateLimiter<ThrottleKey>? limiter;
    private FaultOptions faults = new();
    private FaultTable table = FaultTable.Empty;
    private Random random;

    public FaultInjector(IOptions<SimulatorOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(lifetime);
        var settings = options.Value;
        defaultSeed = settings.Seed;
        businessErrorHttpStatus = settings.BusinessErrorHttpStatus;
        this.timeProvider = timeProvider;
        logger = loggerFactory.CreateLogger(LoggerCategory);
        stopping = lifetime.ApplicationStopping;
        random = new Random(defaultSeed);
        Configure(settings.Throttling, settings.Faults);
    }

    /// <summary>
    /// Replaces the throttling settings and/or the fault settings (a null part is left as it is). New fault
    /// settings restart the seed; new throttling settings start with fresh windows. Counters are kept.
    /// </summary>
    public void Configure(ThrottlingOptions? newThrottling, FaultOptions? newFaults)
    {
        lock (gate)
        {
            if (newThrottling is not null)
            {
                throttling = Copy(newThrottling);
                limiter?.Dispose();
                limiter = throttling.Enabled ? CreateLimiter(throttling.Limits) : null;
            }

            if (newFaults is not null)
            {
                faults = Copy(newFaults);
                table = FaultTable.From(faults);
                random = new Random(faults.Seed ?? defaultSeed);
            }
        }
    }

    /// <summary>No throttling, no faults, counters at zero.</summary>
    public void Clear()
    {
        lock (gate)
        {
            counters.Clear();
        }

        Configure(new ThrottlingOptions(), new FaultOptions());
    }

    /// <summary>The settings in force, and the injected faults so far per action and kind.</summary>
    public FaultStatus Status()
    {
        lock (gate)
        {
            return new FaultStatus(
                Copy(throttling),
                Copy(faults),
                faults.Seed ?? defaultSeed,
                counters.ToDictionary(a => a.Key, a => (IReadOnlyDictionary<string, long>)new SortedDictionary<string, long>(a.Value, StringComparer.Ordinal), StringComparer.Ordinal));
        }
    }

    /// <summary>What happens to this request. Throttled requests are answered at once and draw nothing from the seed.</summary>
    public FaultDecision Decide(string action, string accessKeyId, string requestId)
    {
        var injected = new List<string>(2);
        FaultDecision decision;
        lock (gate)
        {
            decision = DecideLocked(action, accessKeyId, injected);
            foreach (var kind in injected)
            {
                var perAction = counters.TryGetValue(action, out var existing)
                    ? existing
                    : counters[action] = new SortedDictionary<string, long>(StringComparer.Ordinal);
                perAction[kind] = perAction.GetValueOrDefault(kind) + 1;
            }
        }

        foreach (var kind in injected)
        {
            FaultLog.Injected(logger, action, kind, requestId);
        }

        return decision;
    }

    /// <summary>Waits out injected latency; false when the client went away (or the simulator is stopping) first.</summary>
    public async Task<bool> DelayAsync(TimeSpan latency, CancellationToken requestAborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        try
        {
            await Task.Delay(latency, timeProvider, linked.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Withholds the answer: a timeout hangs for its time (or until the client goes away, or the simulator stops),
    /// then, like a drop, aborts the connection so that the client never gets a response.
    /// </summary>
    public async Task<IResult> InterruptAsync(HttpContext http, Interruption interruption)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(interruption);
        if (interruption.Kind == InterruptionKind.Timeout)
        {
            await DelayAsync(interruption.Hang, http.RequestAborted);
        }

        http.Abort();
        return Results.Empty;
    }

    public void Dispose()
    {
        lock (gate)
        {
            limiter?.Dispose();
            limiter = null;
        }
    }

    private FaultDecision DecideLocked(string action, string accessKeyId, List<string> injected)
    {
        if (limiter is not null)
        {
            using var lease = limiter.AttemptAcquire(new ThrottleKey(action, accessKeyId));
            if (!lease.IsAcquired)
            {
                injected.Add("throttled");
                return new FaultDecision(TimeSpan.Zero, DocumentedLimits.ThrottledError(action), null);
            }
        }

        if (!table.Applies(action))
        {
            return FaultDecision.None;
        }

        // One draw picks the outcome, a second (only with jitter) the latency: a fixed number of draws per request.
        var pick = table.HasRates ? random.NextDouble() : 1.0;
        var latency = faults.LatencyMs + (faults.LatencyJitterMs > 0 ? random.Next(faults.LatencyJitterMs + 1) : 0);
        if (latency > 0)
        {
            injected.Add("latency");
        }

        var decision = new FaultDecision(TimeSpan.FromMilliseconds(latency), null, null) { AnswerDelay = TimeSpan.FromMilliseconds(faults.AnswerDelayMs) };
        switch (table.Pick(pick))
        {
            case FaultTable.Outcome.Error error:
                injected.Add("error:" + error.Code);
                return decision with
                {
                    Error = InjectedError.IsGatewayCode(error.Code) ? InjectedError.Gateway(error.Code) : InjectedError.Business(error.Code, businessErrorHttpStatus),
                };
            case FaultTable.Outcome.Timeout:
                injected.Add("timeout:" + Name(faults.Timeout.Mode));
                return decision with { Interruption = new Interruption(InterruptionKind.Timeout, faults.Timeout.Mode, TimeSpan.FromMilliseconds(faults.Timeout.HangMs)) };
            case FaultTable.Outcome.Drop:
                injected.Add("drop:" + Name(faults.Drop.Mode));
                return decision with { Interruption = new Interruption(InterruptionKind.Drop, faults.Drop.Mode, TimeSpan.Zero) };
            default:
                return decision;
        }
    }

    private static string Name(FaultPhase phase) => phase == FaultPhase.After ? "after" : "before";

    /// <summary>A fixed one-second window per action and AccessKeyId, at the documented QPS unless overridden; undocumented actions are not limited.</summary>
    private static PartitionedRateLimiter<ThrottleKey> CreateLimiter(IReadOnlyDictionary<string, int> overrides)
    {
        var limits = new Dictionary<string, int>(DocumentedLimits.Qps, StringComparer.Ordinal);
        foreach (var (action, limit) in overrides)
        {
            limits[action] = limit;
        }

        return PartitionedRateLimiter.Create<ThrottleKey, ThrottleKey>(key => limits.TryGetValue(key.Action, out var qps)
            ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = qps,
                Window = ThrottlingWindow,
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter(key));
    }

    private static ThrottlingOptions Copy(ThrottlingOptions source) => new()
    {
        Enabled = source.Enabled,
        Limits = new Dictionary<string, int>(source.Limits ?? [], StringComparer.Ordinal),
    };

    private static FaultOptions Copy(FaultOptions source) => new()
    {
        Seed = source.Seed,
        Actions = [.. source.Actions ?? []],
        ErrorRates = new Dictionary<string, double>(source.ErrorRates ?? [], StringComparer.Ordinal),
        LatencyMs = source.LatencyMs,
        LatencyJitterMs = source.LatencyJitterMs,
        AnswerDelayMs = source.AnswerDelayMs,
        Timeout = Copy(source.Timeout ?? new InterruptionOptions()),
        Drop = Copy(source.Drop ?? new InterruptionOptions()),
    };

    private static InterruptionOptions Copy(InterruptionOptions source) => new() { Rate = source.Rate, Mode = source.Mode, HangMs = source.HangMs };

    private readonly record struct ThrottleKey(string Action, string AccessKeyId);

    /// <summary>The fault settings prepared for drawing: the scope, and the outcomes with their cumulative rates in a fixed order.</summary>
    private sealed class FaultTable
    {
        public static readonly FaultTable Empty = new(null, []);

        private readonly HashSet<string>? scope;
        private readonly List<(double Upto, Outcome Outcome)> outcomes;

        private FaultTable(HashSet<string>? scope, List<(double Upto, Outcome Outcome)> outcomes)
        {
            this.scope = scope;
            this.outcomes = outcomes;
            HasRates = outcomes.Count > 0;
        }

        public bool HasRates { get; }

        private bool HasLatency { get; init; }

        public static FaultTable From(FaultOptions faults)
        {
            var outcomes = new List<(double, Outcome)>();
            var upto = 0.0;

            // Codes in ordinal order, so that the outcome of a draw does not depend on how the settings were written.
            foreach (var (code, rate) in faults.ErrorRates.Where(e => e.Value > 0).OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                outcomes.Add((upto += rate, new Outcome.Error(code)));
            }

            if (faults.Timeout.Rate > 0)
            {
                outcomes.Add((upto += faults.Timeout.Rate, new Outcome.Timeout()));
            }

            if (faults.Drop.Rate > 0)
            {
                outcomes.Add((upto += faults.Drop.Rate, new Outcome.Drop()));
            }

            return new FaultTable(faults.Actions.Count == 0 ? null : new HashSet<string>(faults.Actions, StringComparer.Ordinal), outcomes)
            {
                HasLatency = faults.LatencyMs > 0 || faults.LatencyJitterMs > 0 || faults.AnswerDelayMs > 0,
            };
        }

        public bool Applies(string action) => (HasRates || HasLatency) && (scope is null || scope.Contains(action));

        public Outcome? Pick(double draw) => outcomes.FirstOrDefault(o => draw < o.Upto).Outcome;

        public abstract record Outcome
        {
            public sealed record Error(string Code) : Outcome;

            public sealed record Timeout : Outcome;

            public sealed record Drop : Outcome;
        }
    }
}

/// <summary>What <c>GET /_sim/faults</c> shows: the settings in force, the seed, and the injected faults per action and kind.</summary>
public sealed record FaultStatus(
    ThrottlingOptions Throttling,
    FaultOptions Faults,
    int Seed,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Counters);
