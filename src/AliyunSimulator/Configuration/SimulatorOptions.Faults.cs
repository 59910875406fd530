using System.Text.Json.Serialization;

namespace BindingService.AliyunSimulator.Configuration;

public sealed partial class SimulatorOptions
{
    /// <summary>Per-action QPS throttling (docs/provider-rules.md R-QPS-1), off by default so tests stay deterministic.</summary>
    public ThrottlingOptions Throttling { get; set; } = new();

    /// <summary>Injected misbehaviour at start-up: errors, latency, timeouts, dropped connections. None by default.</summary>
    public FaultOptions Faults { get; set; } = new();
}

/// <summary>
/// The <c>Simulator:Throttling</c> section, and the <c>throttling</c> part of <c>PUT /_sim/faults</c>. Limits are
/// per AccessKeyId and action, over one-second windows; an action with no documented limit is not throttled unless
/// <see cref="Limits"/> gives it one.
/// </summary>
public sealed class ThrottlingOptions
{
    public bool Enabled { get; set; }

    /// <summary>Requests per second per action, overriding the documented QPS (e.g. <c>"BindAxb": 3</c>).</summary>
    public Dictionary<string, int> Limits { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The <c>Simulator:Faults</c> section, and the <c>faults</c> part of <c>PUT /_sim/faults</c>. One random draw per
/// request picks at most one of the error codes, the timeout or the drop (their rates add up to at most 1);
/// latency comes on top of whatever is picked.
/// </summary>
public sealed class FaultOptions
{
    /// <summary>Seed of the fault decisions; <c>Simulator:Seed</c> when absent. Setting faults restarts it.</summary>
    public int? Seed { get; set; }

    /// <summary>The actions the faults apply to (wire names); every action when empty. Throttling is not scoped by it.</summary>
    public List<string> Actions { get; set; } = [];

    /// <summary>
    /// Rate (0..1) per error code. <c>Throttling.*</c>, <c>ServiceUnavailable</c> and <c>InternalError</c> answer in the
    /// gateway error body (400, 503, 500); any other code (<c>isv.*</c>, <c>isp.*</c>) in the normal body.
    /// </summary>
    public Dictionary<string, double> ErrorRates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Added to every request in scope before it is handled.</summary>
    public int LatencyMs { get; set; }

    /// <summary>
    /// Added after the action has been applied, before its answer is sent: a slow answer to a change that has already
    /// happened (a client that gives up meanwhile leaves the change made).
    /// </summary>
    public int AnswerDelayMs { get; set; }

    /// <summary>Up to this many more milliseconds of latency, drawn per request.</summary>
    public int LatencyJitterMs { get; set; }

    /// <summary>Requests that hang, then lose their connection without an answer.</summary>
    public InterruptionOptions Timeout { get; set; } = new();

    /// <summary>Requests whose connection is aborted.</summary>
    public InterruptionOptions Drop { get; set; } = new();
}

/// <summary>A share of requests that get no answer, and whether the action is applied first.</summary>
public sealed class InterruptionOptions
{
    public double Rate { get; set; }

    public FaultPhase Mode { get; set; } = FaultPhase.Before;

    /// <summary>How long a timed-out request hangs (unless the client goes first) before its connection is closed; ignored for drops.</summary>
    public int HangMs { get; set; } = 30_000;
}

/// <summary>When an interruption strikes: before the action (nothing applied) or after it (applied, answer withheld).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultPhase>))]
public enum FaultPhase
{
    [JsonStringEnumMemberName("before")]
    Before,

    [JsonStringEnumMemberName("after")]
    After,
}
