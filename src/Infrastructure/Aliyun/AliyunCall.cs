namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// One POP RPC call as the client describes it, attached to the <see cref="HttpRequestMessage"/> so that the
/// signing handler can build a freshly signed body on every attempt and the resilience pipeline can tell
/// which outcomes are safe to retry. Not a record: its parameters hold phone numbers and must never be
/// printed by an accidental ToString.
/// </summary>
internal sealed class AliyunCall(string action, string version, IReadOnlyList<KeyValuePair<string, string>> parameters, bool retryAfterUnknownOutcome)
{
    public static readonly HttpRequestOptionsKey<AliyunCall> OptionKey = new("BindingService.Aliyun.Call");

    /// <summary>The POP action, e.g. BindAxb.</summary>
    public string Action { get; } = action;

    /// <summary>The product API version, e.g. 2017-05-25 for Dyplsapi.</summary>
    public string Version { get; } = version;

    /// <summary>The action's own parameters, unsigned and unencoded (Action, common parameters and Signature are added per attempt).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; } = parameters;

    /// <summary>
    /// Whether an attempt whose outcome is unknown (timeout, connection lost after sending, ambiguous 5xx) may be
    /// repeated. False for actions that create something (BindAxb): a repeat could create a second binding.
    /// </summary>
    public bool RetryAfterUnknownOutcome { get; } = retryAfterUnknownOutcome;

    public override string ToString() => Action;

    public static AliyunCall? Of(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(OptionKey, out var call) ? call : null;
}
