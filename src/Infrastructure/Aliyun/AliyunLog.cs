using BindingService.Application.Abstractions;
using Microsoft.Extensions.Logging;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>The adapter's log lines. None takes a phone number: actions, codes, provider request ids, timings only.</summary>
internal static partial class AliyunLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Aliyun {Action} succeeded in {ElapsedMs} ms (provider request {ProviderRequestId})")]
    public static partial void CallSucceeded(ILogger logger, string action, double elapsedMs, string providerRequestId);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Aliyun {Action} failed with {Code} ({ErrorKind}, outcome unknown: {OutcomeUnknown}) in {ElapsedMs} ms (provider request {ProviderRequestId})")]
    public static partial void CallFailed(ILogger logger, string action, string code, ProviderErrorKind errorKind, bool outcomeUnknown, long elapsedMs, string providerRequestId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Aliyun {Action} cancelled by the caller after {ElapsedMs} ms")]
    public static partial void CallCancelled(ILogger logger, string action, long elapsedMs);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Retrying Aliyun {Action} after {Reason} (retry {Attempt}, in {DelayMs} ms)")]
    public static partial void Retrying(ILogger logger, string action, string reason, int attempt, long delayMs);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "Aliyun {Product} circuit opened for {BreakDuration} after {Reason}: calls fail fast as Unavailable")]
    public static partial void CircuitOpened(ILogger logger, AliyunProduct product, TimeSpan breakDuration, string reason);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Aliyun {Product} circuit closed")]
    public static partial void CircuitClosed(ILogger logger, AliyunProduct product);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "Aliyun {Product} circuit half-open: letting a probe through")]
    public static partial void CircuitHalfOpened(ILogger logger, AliyunProduct product);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "Aliyun {Action} refused by the client-side rate limit (queue full): failing fast as Throttled")]
    public static partial void RateLimitRejected(ILogger logger, string action);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Error, Message = "Aliyun {Action} failed with {Code} (PoolNotFound): the pool does not exist at the provider. Check the configured pool keys (Aliyun:PoolKey, Protection:Pools, Protection:*PoolKey); no call to that pool can succeed until then")]
    public static partial void PoolNotFound(ILogger logger, string action, string code);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "Aliyun {Action} refused before sending ({Code}): {Rule}")]
    public static partial void RefusedBeforeSending(ILogger logger, string action, string code, string rule);
}
