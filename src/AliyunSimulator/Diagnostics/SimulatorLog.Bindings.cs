using Microsoft.Extensions.Logging;

namespace BindingService.AliyunSimulator.Diagnostics;

/// <summary>Log lines of the group and logistics actions (EventIds 915x). No phone number, tracking number or order code in clear.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 9150, Level = LogLevel.Information, Message = "G group {GroupId} created in pool {PoolKey} with {Count} numbers (request {RequestId})")]
    public static partial void GroupCreated(ILogger logger, long groupId, string poolKey, int count, string requestId);

    [LoggerMessage(EventId = 9151, Level = LogLevel.Information, Message = "G group {GroupId} changed with {OperateType}, now {Count} numbers (request {RequestId})")]
    public static partial void GroupChanged(ILogger logger, long groupId, string operateType, int count, string requestId);

    [LoggerMessage(EventId = 9152, Level = LogLevel.Information, Message = "Tracking number {TrackNo} attached to binding {SubsId} (request {RequestId})")]
    public static partial void TrackNoAdded(ILogger logger, string trackNo, string subsId, string requestId);

    [LoggerMessage(EventId = 9153, Level = LogLevel.Information, Message = "Pickup order {OuterOrderCode} {Outcome}: {ErrorCode} (request {RequestId})")]
    public static partial void PickUpOrder(ILogger logger, string outerOrderCode, string outcome, string errorCode, string requestId);
}
