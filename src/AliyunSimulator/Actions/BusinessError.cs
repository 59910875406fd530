namespace BindingService.AliyunSimulator.Actions;

/// <summary>
/// A Dyplsapi business error (docs/provider-rules.md A.2): answered in the normal body with <c>Code</c> ≠ <c>OK</c>,
/// HTTP 200 unless <c>Simulator:BusinessErrorHttpStatus</c> says otherwise. Messages never carry phone numbers.
/// </summary>
public sealed record BusinessError(string Code, string Message)
{
    public const string BindConflictCode = "isv.BIND_CONFLICT";
    public const string NoAvailableNumberCode = "isv.NO_AVAILABLE_NUMBER";
    public const string SubsNotExistCode = "isv.SUBS_NOT_EXIST";
    public const string ExpireDateIllegalCode = "isv.EXPIRE_DATE_ILLEGAL";
    public const string MobileNumberIllegalCode = "isv.MOBILE_NUMBER_ILLEGAL";
    public const string PoolKeyNotExistsCode = "isv.POOLKEY_NOT_EXISTS";
    public const string ForbiddenActionCode = "isv.FORBIDDEN_ACTION";
    public const string InvalidParametersCode = "isv.INVALID_PARAMETERS";

    public static BusinessError BindConflict(string detail) => new(BindConflictCode, "Binding conflict: " + detail);

    public static BusinessError NoAvailableNumber(string detail) => new(NoAvailableNumberCode, "No available number: " + detail);

    public static BusinessError SubsNotExist() =>
        new(SubsNotExistCode, "The binding does not exist: check that it has not been removed and that the pool, X number and SubsId match.");

    public static BusinessError ExpireDateIllegal(string parameter) =>
        new(ExpireDateIllegalCode, $"{parameter} is illegal: use yyyy-MM-dd HH:mm:ss (China time) later than the current time plus one minute.");

    public static BusinessError MobileNumberIllegal(string parameter) =>
        new(MobileNumberIllegalCode, $"{parameter} is illegal: digits only, an 11-digit mobile number or a landline with its area code.");

    public static BusinessError PoolKeyNotExists() => new(PoolKeyNotExistsCode, "The specified PoolKey does not exist.");

    public static BusinessError ForbiddenAction(string detail) => new(ForbiddenActionCode, "Forbidden action: " + detail);

    public static BusinessError InvalidParameters(string detail) => new(InvalidParametersCode, "Invalid parameters: " + detail);
}
