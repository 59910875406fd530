namespace BindingService.AliyunSimulator.Configuration;

public sealed partial class SimulatorOptions
{
    /// <summary>Pushing call receipts to a receiver, as the provider's HTTP batch push does (docs/simulator.md, 'Receipts'). Off without a URL.</summary>
    public ReceiptPushOptions Receipts { get; set; } = new();
}

/// <summary>
/// The <c>Simulator:Receipts</c> section, and the body of <c>PUT /_sim/receipts/settings</c>. Each simulated call's
/// receipts are pushed type by type (SecretStartReport, SecretReport, SecretRecording, SecretAsrReport), each in its
/// own batch (a JSON array), to <see cref="Url"/>.
/// </summary>
public sealed class ReceiptPushOptions
{
    /// <summary>
    /// Where to push: <c>{type}</c> in it is replaced by the message type (e.g.
    /// <c>http://svc/v1/provider-receipts/{type}?token=secret</c>); without it, <c>/{type}</c> is appended to the path.
    /// Empty: nothing is pushed.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>The provider's pauses before the retries of a batch that was not acknowledged: 1, 5 and 10 minutes.</summary>
    public static readonly IReadOnlyList<int> ProviderRetryDelaysMs = [60_000, 300_000, 600_000];

    /// <summary>
    /// Pauses before the retries of a batch that was not acknowledged; after the last one it is dropped. Empty (the
    /// default): <see cref="ProviderRetryDelaysMs"/>. Tests scale them down.
    /// </summary>
    public List<int> RetryDelaysMs { get; set; } = [];

    public IReadOnlyList<int> EffectiveRetryDelaysMs => RetryDelaysMs.Count == 0 ? ProviderRetryDelaysMs : RetryDelaysMs;

    /// <summary>How long an answer may take before the push counts as failed (the provider waits 700 ms).</summary>
    public int TimeoutMs { get; set; } = 700;

    /// <summary>Push every batch twice (the provider sends duplicates).</summary>
    public bool Duplicates { get; set; }

    /// <summary>Push a call's batches in reverse order (the call record before the call start, …).</summary>
    public bool Reorder { get; set; }

    /// <summary>Wait this long after a call before pushing its receipts.</summary>
    public int DelayMs { get; set; }

    public ReceiptPushOptions Copy() => new()
    {
        Url = Url,
        RetryDelaysMs = [.. RetryDelaysMs],
        TimeoutMs = TimeoutMs,
        Duplicates = Duplicates,
        Reorder = Reorder,
        DelayMs = DelayMs,
    };
}
