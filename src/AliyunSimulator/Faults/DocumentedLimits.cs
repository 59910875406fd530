namespace BindingService.AliyunSimulator.Faults;

/// <summary>
/// The per-user QPS limits of docs/provider-rules.md R-QPS-1, and the error each action answers when throttled: the
/// documented <c>FlowLimited</c> (QuerySecretNoDetail, GetTotalPublicUrl) and <c>System.LimitControl</c>
/// (PhoneNumberEncrypt), all 400 in the normal body (A.1); otherwise the gateway's <c>Throttling.User</c> (A.3).
/// </summary>
public static class DocumentedLimits
{
    public const string FlowLimitedCode = "FlowLimited";
    public const string SystemLimitControlCode = "System.LimitControl";
    public const string ThrottlingUserCode = "Throttling.User";

    /// <summary>Requests per second per user; actions whose QPS the documents do not state are absent.</summary>
    public static IReadOnlyDictionary<string, int> Qps { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["BindAxb"] = 5000,
        ["BindAxnExtension"] = 5000,
        ["BindAxg"] = 5000,
        ["OperateAxgGroup"] = 5000,
        ["QuerySubscriptionDetail"] = 5000,
        ["QueryPhoneNoAByTrackNo"] = 5000,
        ["AddAxnTrackNo"] = 5000,
        ["UpdateSubscription"] = 10000,
        ["QuerySecretNoDetail"] = 1000,
        ["ConfirmSendSms"] = 1000,
        ["GetTotalPublicUrl"] = 1000,
        ["OperateBlackNo"] = 1000,
        ["PhoneNumberEncrypt"] = 1000,
        ["LockSecretNo"] = 500,
        ["UnlockSecretNo"] = 500,
        ["GetSecretAsrDetail"] = 100,
        ["AddSecretBlacklist"] = 100,
        ["DeleteSecretBlacklist"] = 100,
        ["CreatePickUpWaybill"] = 100,
        ["CancelPickUpWaybill"] = 100,
        ["CreatePickUpWaybillPreQuery"] = 100,
    };

    /// <summary>The answer to a throttled call of <paramref name="action"/> (R-QPS-1).</summary>
    public static InjectedError ThrottledError(string action) => action switch
    {
        "QuerySecretNoDetail" or "GetTotalPublicUrl" =>
            new InjectedError(FlowLimitedCode, "The operation is denied due to flow control.", StatusCodes.Status400BadRequest, GatewayShape: false),
        "PhoneNumberEncrypt" =>
            new InjectedError(SystemLimitControlCode, "The system is under flow control.", StatusCodes.Status400BadRequest, GatewayShape: false),
        _ => InjectedError.Gateway(ThrottlingUserCode),
    };
}
