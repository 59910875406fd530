using BindingService.AliyunSimulator.Gateway;
using BindingService.AliyunSimulator.Responses;

namespace BindingService.AliyunSimulator.Actions;

/// <summary>
/// What a handler answers: success with its payload fields, a business error, a gateway-style refusal, or a body the
/// handler shapes itself (the waybill creates, which have no top-level <c>Code</c>, docs/provider-rules.md R-FMT-3).
/// </summary>
public abstract record ActionResult
{
    private ActionResult()
    {
    }

    /// <summary><c>Code=OK</c>, <c>Message=OK</c>, plus the payload's fields.</summary>
    public static ActionResult Ok(ResponseBody? payload = null) => new Success(payload ?? new ResponseBody());

    /// <summary><c>Code=OK</c> with another success message (<c>请求成功</c> for the track-number and cancel actions, R-FMT-3).</summary>
    public static ActionResult Ok(string message, ResponseBody? payload = null) => new Success(payload ?? new ResponseBody()) { Message = message };

    /// <summary>
    /// HTTP 200 with exactly the body <paramref name="body"/> builds from the request id (which it should put first);
    /// <paramref name="loggedCode"/> is what the access log records as the outcome.
    /// </summary>
    public static ActionResult Shaped(string loggedCode, Func<string, ResponseBody> body) => new ShapedBody(loggedCode, body);

    /// <summary>A conditionally required parameter is absent (R-UPD-4): the gateway's <c>Missing{Name}</c>, HTTP 400.</summary>
    public static ActionResult Missing(string parameter) => new Rejected(GatewayError.Missing(parameter));

    public static implicit operator ActionResult(BusinessError error) => new Failure(error);

    public sealed record Success(ResponseBody Payload) : ActionResult
    {
        public string Message { get; init; } = "OK";
    }

    /// <summary>A business error: the normal response shape with <c>Code</c> ≠ <c>OK</c>.</summary>
    public sealed record Failure(BusinessError Error) : ActionResult;

    public sealed record Rejected(GatewayError Error) : ActionResult;

    public sealed record ShapedBody(string LoggedCode, Func<string, ResponseBody> Body) : ActionResult;
}
