using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.AddSecretBlacklist;

/// <summary>
/// The parameters AddSecretBlacklist and DeleteSecretBlacklist share (docs/provider-rules.md R-BLK-2, R-BLK-3): <c>BlackType</c>;
/// <c>BlackNo</c> as <c>first:second</c> (ASCII colon) for <c>POINT_TO_POINT_BLACK</c> or one number for
/// <c>PARTNER_GLOBAL_NUMBER_BLACK</c> (<c>*</c> is no wildcard: only digits are accepted); <c>WayControl</c>
/// <c>PHONEA_REJECT</c>, <c>PHONEB_REJECT</c> or absent, meaningful (and kept) for point-to-point only.
/// </summary>
public sealed record BlacklistRequest(string PoolKey, BlackType Type, string First, string? Second, string? WayControl, string? Remark)
{
    public const string PointToPoint = "POINT_TO_POINT_BLACK";
    public const string PartnerGlobal = "PARTNER_GLOBAL_NUMBER_BLACK";

    public string BlackTypeName => Type == BlackType.PointToPoint ? PointToPoint : PartnerGlobal;

    /// <summary>The numbers masked, for the log.</summary>
    public string MaskedBlackNo => Second is null ? PhoneMask.Mask(First) : PhoneMask.Mask(First) + ":" + PhoneMask.Mask(Second);

    public static ActionResult? TryRead(ActionRequest request, IReadOnlyCollection<string> ramDeniedAccessKeyIds, out BlacklistRequest blacklist)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ramDeniedAccessKeyIds);
        blacklist = null!;
        if (ramDeniedAccessKeyIds.Contains(request.AccessKeyId, StringComparer.Ordinal))
        {
            return NumberErrors.RamPermissionDenied();
        }

        BlackType type;
        switch (request.Required("BlackType"))
        {
            case PointToPoint:
                type = BlackType.PointToPoint;
                break;
            case PartnerGlobal:
                type = BlackType.PartnerGlobal;
                break;
            default:
                return BusinessError.InvalidParameters("BlackType must be POINT_TO_POINT_BLACK or PARTNER_GLOBAL_NUMBER_BLACK.");
        }

        var wayControl = request.Optional("WayControl");
        if (wayControl is not (null or BlacklistEntry.PhoneARejects or BlacklistEntry.PhoneBRejects))
        {
            return BusinessError.InvalidParameters("WayControl must be PHONEA_REJECT or PHONEB_REJECT.");
        }

        var parts = request.Required("BlackNo").Split(':');
        if (parts.Length != (type == BlackType.PointToPoint ? 2 : 1))
        {
            return BusinessError.InvalidParameters(
                "BlackNo is two numbers separated by an ASCII colon for POINT_TO_POINT_BLACK, one number for PARTNER_GLOBAL_NUMBER_BLACK.");
        }

        if (parts.Any(p => !ParameterRules.IsPhoneNumber(p)))
        {
            return BusinessError.MobileNumberIllegal("BlackNo");
        }

        if (parts.Length == 2 && parts[0] == parts[1])
        {
            return BusinessError.InvalidParameters("A point-to-point blacklist pairs two different numbers.");
        }

        blacklist = type == BlackType.PointToPoint
            ? new BlacklistRequest(request.Required("PoolKey"), type, parts[0], parts[1], wayControl, request.Optional("Remark"))
            : new BlacklistRequest(request.Required("PoolKey"), type, parts[0], null, null, request.Optional("Remark"));
        return null;
    }

    public BlacklistEntry ToEntry() => new(PoolKey, Type, First, Second, WayControl, Remark);
}
