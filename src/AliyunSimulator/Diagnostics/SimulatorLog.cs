using Microsoft.Extensions.Logging;

namespace BindingService.AliyunSimulator.Diagnostics;

/// <summary>
/// The simulator's log lines: structured (action, code, request id, ...), and with every phone number masked
/// (<see cref="PhoneMask"/>). The host's own request logging is silenced in <see cref="SimulatorApp"/> because
/// a GET carries the numbers in its URL.
/// </summary>
internal static partial class SimulatorLog
{
    // The lines written for every call (9100-9112) are Debug: at Information the console cost more CPU than the call
    // itself (docs/performance.md). `--Logging:LogLevel:BindingService.AliyunSimulator=Debug` shows them.
    [LoggerMessage(EventId = 9100, Level = LogLevel.Debug, Message = "Dyplsapi {Action} answered {Code} (HTTP {HttpStatus}, {HttpMethod}) for request {RequestId} in {ElapsedMs} ms")]
    public static partial void Answered(ILogger logger, string action, string code, int httpStatus, string httpMethod, string requestId, double elapsedMs);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Dyplsapi gateway refused {Action} with {Code} (HTTP {HttpStatus}, {HttpMethod}) for request {RequestId}")]
    public static partial void Refused(ILogger logger, string action, string code, int httpStatus, string httpMethod, string requestId);

    [LoggerMessage(EventId = 9110, Level = LogLevel.Debug, Message = "Binding {SubsId} created in pool {PoolKey} on X {SecretNo} for A {PhoneNoA} and B {PhoneNoB}, expiring {Expiration:O} (request {RequestId})")]
    public static partial void BindingCreated(ILogger logger, string subsId, string poolKey, string secretNo, string phoneNoA, string phoneNoB, DateTimeOffset expiration, string requestId);

    [LoggerMessage(EventId = 9111, Level = LogLevel.Debug, Message = "Binding {SubsId} updated with {OperateType} (request {RequestId})")]
    public static partial void BindingUpdated(ILogger logger, string subsId, string operateType, string requestId);

    [LoggerMessage(EventId = 9112, Level = LogLevel.Debug, Message = "Binding {SubsId} removed (request {RequestId})")]
    public static partial void BindingRemoved(ILogger logger, string subsId, string requestId);

    [LoggerMessage(EventId = 9120, Level = LogLevel.Information, Message = "Simulator state reset through the control API")]
    public static partial void StateReset(ILogger logger);

    [LoggerMessage(EventId = 9121, Level = LogLevel.Information, Message = "Number {SecretNo} set to locked={Locked}, frozen={Frozen} through the control API")]
    public static partial void NumberStateChanged(ILogger logger, string secretNo, bool locked, bool frozen);
}
