namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// A typed POP RPC request: its action, what a repeat of it does (<see cref="Kind"/>, which decides retries after
/// an unknown outcome) and its parameters, written explicitly by their exact wire names. Requests carry phone
/// numbers, so ToString prints the action only.
/// </summary>
/// <typeparam name="TResponse">The action's response body.</typeparam>
public abstract record PopRequest<TResponse>
    where TResponse : PopResponse
{
    /// <summary>The wire name of the action, e.g. BindAxb.</summary>
    public abstract string Action { get; }

    /// <summary>Whether the action reads, sets idempotently, or creates (see <see cref="AliyunCallKind"/>).</summary>
    public abstract AliyunCallKind Kind { get; }

    /// <summary>Writes the action's parameters (not the common ones: those are added and signed per attempt).</summary>
    internal abstract void Write(PopParameters parameters);

    /// <summary>
    /// The documented rule this request breaks, checked before anything is sent, or null. The call is then refused
    /// as <c>Client.InvalidRequest</c> (kind InvalidRequest, like the provider's own parameter errors) without
    /// reaching the provider. The text names the rule and the parameter, never a value (it is logged).
    /// </summary>
    internal virtual string? BrokenRule() => null;

    public sealed override string ToString() => Action;
}
