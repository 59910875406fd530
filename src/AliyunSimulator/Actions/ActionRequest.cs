namespace BindingService.AliyunSimulator.Actions;

/// <summary>An authenticated call to one action: its parameters (names case-sensitive) and the request's identity.</summary>
public sealed class ActionRequest(string action, string requestId, string accessKeyId, IReadOnlyDictionary<string, string> parameters)
{
    public string Action { get; } = action;

    public string RequestId { get; } = requestId;

    public string AccessKeyId { get; } = accessKeyId;

    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    /// <summary>The value, or null when the parameter is absent or blank (a blank value counts as not sent).</summary>
    public string? Optional(string name) =>
        Parameters.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>A parameter the gateway has already checked (<see cref="IActionHandler.RequiredParameters"/>).</summary>
    public string Required(string name) =>
        Optional(name) ?? throw new InvalidOperationException($"{name} is not among the action's checked required parameters.");
}
