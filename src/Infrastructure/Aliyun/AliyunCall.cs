namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// One POP RPC call as the client describes it, attached to the <see cref="HttpRequestMessage"/> so that the
/// signing handler can build a freshly signed body on every attempt (with the product's credentials) and the
/// resilience pipeline can tell which outcomes are safe to retry, which per-action timeout and rate limit apply.
/// Not a record: its parameters hold phone numbers and must never be printed by an accidental ToString.
/// </summary>
internal sealed class AliyunCall(
    string action,
    string version,
    IReadOnlyList<KeyValuePair<string, string>> parameters,
    bool retryAfterUnknownOutcome,
    AliyunProduct product = AliyunProduct.Dyplsapi)
{
    public static readonly HttpRequestOptionsKey<AliyunCall> OptionKey = new("BindingService.Aliyun.Call");

    private int sentAttempts;

    /// <summary>The POP action, e.g. BindAxb.</summary>
    public string Action { get; } = action;

    /// <summary>The product API version, e.g. 2017-05-25 for Dyplsapi.</summary>
    public string Version { get; } = version;

    /// <summary>The product whose endpoint, credentials and resilience pipeline the call uses.</summary>
    public AliyunProduct Product { get; } = product;

    /// <summary>The action's own parameters, unsigned and unencoded (Action, common parameters and Signature are added per attempt).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; } = parameters;

    /// <summary>
    /// Whether an attempt whose outcome is unknown (timeout, connection lost after sending, ambiguous 5xx) may be
    /// repeated. False for actions that create something (BindAxb): a repeat could create a second binding.
    /// </summary>
    public bool RetryAfterUnknownOutcome { get; } = retryAfterUnknownOutcome;

    /// <summary>
    /// True once an attempt has been signed and handed to the network. A call that ended before (queued behind the
    /// rate limiter, refused by an open circuit) certainly changed nothing at the provider.
    /// </summary>
    public bool WasSent => Volatile.Read(ref sentAttempts) > 0;

    public void MarkSent() => Interlocked.Increment(ref sentAttempts);

    public override string ToString() => Action;

    public static AliyunCall? Of(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(OptionKey, out var call) ? call : null;
}
