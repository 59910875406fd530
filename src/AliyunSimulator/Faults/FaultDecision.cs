using BindingService.AliyunSimulator.Configuration;

namespace BindingService.AliyunSimulator.Faults;

/// <summary>What the fault layer does to one request: extra latency, then an error instead of the action, or an interruption.</summary>
public sealed record FaultDecision(TimeSpan Latency, InjectedError? Error, Interruption? Interruption)
{
    /// <summary>How long the answer waits after the action was applied.</summary>
    public TimeSpan AnswerDelay { get; init; }

    public static FaultDecision None { get; } = new(TimeSpan.Zero, null, null);
}

/// <summary>A request that gets no answer: it hangs (<see cref="InterruptionKind.Timeout"/>) or its connection is aborted at once.</summary>
public sealed record Interruption(InterruptionKind Kind, FaultPhase Phase, TimeSpan Hang);

public enum InterruptionKind
{
    Timeout,
    Drop,
}
