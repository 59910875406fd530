using System.Text.Json.Serialization;

namespace BindingService.Infrastructure.Aliyun;

// docs/provider-rules.md, 'Actions': AXG number groups.

/// <summary>
/// CreateAxgGroup (R-GRP-1). <see cref="AliyunCallKind.NotRepeatable"/>: every call creates a new group with
/// a new GroupId, so a repeat after a timeout could leave a second group (and a pool holds at most 2000: R-GRP-2).
/// </summary>
public sealed record CreateAxgGroupRequest : PopRequest<CreateAxgGroupResponse>
{
    public override string Action => "CreateAxgGroup";

    public override AliyunCallKind Kind => AliyunCallKind.NotRepeatable;

    public required string PoolKey { get; init; }

    /// <summary>1–128 characters; the GroupId when omitted.</summary>
    public string? Name { get; init; }

    public string? Remark { get; init; }

    /// <summary>At most 200, sent comma-separated.</summary>
    public IReadOnlyList<string>? Numbers { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("PoolKey", PoolKey);
        parameters.AddOptional("Name", Name);
        parameters.AddOptional("Remark", Remark);
        parameters.AddList("Numbers", Numbers, required: false);
    }
}

/// <summary>GroupId is a Long that the document's example quotes as a string (T42): read either.</summary>
public sealed class CreateAxgGroupResponse : PopResponse
{
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? GroupId { get; init; }

    internal override bool IsComplete => GroupId is not null;
}

/// <summary>OperateType values of OperateAxgGroup.</summary>
public static class AxgGroupOperations
{
    public const string AddNumbers = "addNumbers";
    public const string DeleteNumbers = "deleteNumbers";
    public const string OverwriteNumbers = "overwriteNumbers";
}

/// <summary>
/// OperateAxgGroup (R-GRP-4). <see cref="AliyunCallKind.Idempotent"/>: a group is a set of numbers, and
/// adding, deleting or overwriting the same numbers twice leaves the same set.
/// </summary>
public sealed record OperateAxgGroupRequest : PopRequest<PopResponse>
{
    public override string Action => "OperateAxgGroup";

    public override AliyunCallKind Kind => AliyunCallKind.Idempotent;

    public required string PoolKey { get; init; }

    public required long GroupId { get; init; }

    /// <summary>One of <see cref="AxgGroupOperations"/>.</summary>
    public required string OperateType { get; init; }

    /// <summary>At most 200 per call.</summary>
    public required IReadOnlyList<string> Numbers { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("PoolKey", PoolKey);
        parameters.Add("GroupId", GroupId);
        parameters.Add("OperateType", OperateType);
        parameters.AddList("Numbers", Numbers, required: true);
    }
}
