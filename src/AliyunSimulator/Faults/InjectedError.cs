namespace BindingService.AliyunSimulator.Faults;

/// <summary>
/// An error answered instead of running the action: in the gateway error body (docs/provider-rules.md, 'Requests and responses', A.3) when
/// <see cref="GatewayShape"/>, otherwise in the action's normal body with <c>Code</c> ≠ <c>OK</c>.
/// </summary>
public sealed record InjectedError(string Code, string Message, int HttpStatus, bool GatewayShape)
{
    /// <summary>Gateway codes: <c>Throttling.*</c> (400), <c>ServiceUnavailable</c> (503), <c>InternalError</c> (500).</summary>
    public static bool IsGatewayCode(string code) =>
        code.StartsWith("Throttling", StringComparison.Ordinal) || code is "ServiceUnavailable" or "InternalError";

    public static InjectedError Gateway(string code) => code switch
    {
        "Throttling.User" => new(code, "Request was denied due to user flow control.", StatusCodes.Status400BadRequest, true),
        "Throttling.Api" => new(code, "Request was denied due to api flow control.", StatusCodes.Status400BadRequest, true),
        "ServiceUnavailable" => new(code, "The request has failed due to a temporary failure of the server.", StatusCodes.Status503ServiceUnavailable, true),
        "InternalError" => new(code, "The request processing has failed due to some unknown error, exception or failure.", StatusCodes.Status500InternalServerError, true),
        _ => new(code, "Request was denied due to flow control.", StatusCodes.Status400BadRequest, true),
    };

    /// <summary>
    /// A business code in the normal body: HTTP status from <c>Simulator:BusinessErrorHttpStatus</c>, else the
    /// documented one (A.1: FlowLimited and System.LimitControl 400), else 200 (B.17).
    /// </summary>
    public static InjectedError Business(string code, IReadOnlyDictionary<string, int> configuredStatus)
    {
        ArgumentNullException.ThrowIfNull(configuredStatus);
        var (message, documentedStatus) = code switch
        {
            "isp.SYSTEM_ERROR" => ("System error.", StatusCodes.Status200OK),
            "isp.DAO_EXCEPTION" => ("Database exception.", StatusCodes.Status200OK),
            "isp.GATEWAY_ERROR" => ("Calling the sending module failed.", StatusCodes.Status200OK),
            "isp.VENDOR_UNAVAILABLE" => ("The carrier is degraded.", StatusCodes.Status200OK),
            "isv.FLOW_LIMIT" => ("Business flow control.", StatusCodes.Status200OK),
            DocumentedLimits.FlowLimitedCode => ("The operation is denied due to flow control.", StatusCodes.Status400BadRequest),
            DocumentedLimits.SystemLimitControlCode => ("The system is under flow control.", StatusCodes.Status400BadRequest),
            _ => ($"[sim] Injected error {code}.", StatusCodes.Status200OK),
        };
        return new(code, message, configuredStatus.GetValueOrDefault(code, documentedStatus), GatewayShape: false);
    }
}
