namespace BindingService.Infrastructure.Aliyun;

// docs/provider-rules.md, 'Actions': blacklists.

/// <summary>OperateType values of OperateBlackNo.</summary>
public static class BlackNoOperations
{
    public const string AddBlack = "AddBlack";
    public const string DeleteBlack = "DeleteBlack";
}

/// <summary>
/// OperateBlackNo (R-BLK-1; AXN-type pools). <see cref="AliyunCallKind.Idempotent"/>: a pool blacklist is a
/// set of numbers; adding or deleting the same number twice leaves the same set.
/// </summary>
public sealed record OperateBlackNoRequest : PopRequest<PopResponse>
{
    public override string Action => "OperateBlackNo";

    public override AliyunCallKind Kind => AliyunCallKind.Idempotent;

    public required string PoolKey { get; init; }

    public required string BlackNo { get; init; }

    /// <summary>One of <see cref="BlackNoOperations"/>.</summary>
    public required string OperateType { get; init; }

    public string? Tips { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("PoolKey", PoolKey);
        parameters.Add("BlackNo", BlackNo);
        parameters.Add("OperateType", OperateType);
        parameters.AddOptional("Tips", Tips);
    }
}

/// <summary>BlackType values.</summary>
public static class BlackTypes
{
    /// <summary>BlackNo is <c>first:second</c>.</summary>
    public const string PointToPoint = "POINT_TO_POINT_BLACK";

    /// <summary>BlackNo is one number, blocked pool-wide.</summary>
    public const string PartnerGlobalNumber = "PARTNER_GLOBAL_NUMBER_BLACK";
}

/// <summary>WayControl values (R-BLK-2); omitted blocks both directions.</summary>
public static class WayControls
{
    /// <summary>first → second allowed, second → first blocked.</summary>
    public const string PhoneARejects = "PHONEA_REJECT";

    /// <summary>first → second blocked, second → first allowed.</summary>
    public const string PhoneBRejects = "PHONEB_REJECT";
}

/// <summary>What AddSecretBlacklist and DeleteSecretBlacklist both take (R-BLK-3: the same parameters).</summary>
public abstract record SecretBlacklistRequest : PopRequest<PopResponse>
{
    public required string PoolKey { get; init; }

    /// <summary><c>first:second</c> (point to point) or one number (pool-wide). Asterisks are not wildcards.</summary>
    public required string BlackNo { get; init; }

    /// <summary>One of <see cref="BlackTypes"/>.</summary>
    public required string BlackType { get; init; }

    public string? Remark { get; init; }

    /// <summary>One of <see cref="WayControls"/>; point to point only.</summary>
    public string? WayControl { get; init; }

    internal sealed override void Write(PopParameters parameters)
    {
        parameters.Add("PoolKey", PoolKey);
        parameters.Add("BlackNo", BlackNo);
        parameters.Add("BlackType", BlackType);
        parameters.AddOptional("Remark", Remark);
        parameters.AddOptional("WayControl", WayControl);
    }
}

/// <summary>
/// AddSecretBlacklist (R-BLK-2). <see cref="AliyunCallKind.NotRepeatable"/>: each call creates an entry, and
/// the documents do not say that adding the same entry twice is merged rather than duplicated or refused; a repeat
/// could leave two entries (one surviving a later delete) or answer an error for an entry that was in fact added.
/// </summary>
public sealed record AddSecretBlacklistRequest : SecretBlacklistRequest
{
    public override string Action => "AddSecretBlacklist";

    public override AliyunCallKind Kind => AliyunCallKind.NotRepeatable;
}

/// <summary>
/// DeleteSecretBlacklist (R-BLK-3). <see cref="AliyunCallKind.Idempotent"/>: deleting an entry twice
/// deletes it once, and creates nothing.
/// </summary>
public sealed record DeleteSecretBlacklistRequest : SecretBlacklistRequest
{
    public override string Action => "DeleteSecretBlacklist";

    public override AliyunCallKind Kind => AliyunCallKind.Idempotent;
}
