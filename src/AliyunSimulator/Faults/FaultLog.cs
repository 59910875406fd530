namespace BindingService.AliyunSimulator.Faults;

/// <summary>One line per injected fault: the action, the kind and the request id, never a parameter value.</summary>
internal static partial class FaultLog
{
    [LoggerMessage(EventId = 9190, Level = LogLevel.Warning, Message = "Fault injected into {Action}: {FaultKind} for request {RequestId}")]
    public static partial void Injected(ILogger logger, string action, string faultKind, string requestId);

    [LoggerMessage(EventId = 9191, Level = LogLevel.Information, Message = "Fault settings changed through the control API: throttling {ThrottlingEnabled}, faults {FaultsActive}")]
    public static partial void SettingsChanged(ILogger logger, bool throttlingEnabled, bool faultsActive);
}
