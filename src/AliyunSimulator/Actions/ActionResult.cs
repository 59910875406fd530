using BindingService.AliyunSimulator.Gateway;
using BindingService.AliyunSimulator.Responses;

namespace BindingService.AliyunSimulator.Actions;

/// <summary>What a handler answers: success with its payload fields, a business error, or a gateway-style refusal.</summary>
public abstract record ActionResult
{
    private ActionResult()
    {
    }

    /// <summary><c>Code=OK</c>, <c>Message=OK</c>, plus the payload's fields.</summary>
    public static ActionResult Ok(ResponseBody? payload = null) => new Success(payload ?? new ResponseBody());

    /// <summary>A conditionally required parameter is absent (R-UPD-4): the gateway's <c>Missing{Name}</c>, HTTP 400.</summary>
    public static ActionResult Missing(string parameter) => new Rejected(GatewayError.Missing(parameter));

    public static implicit operator ActionResult(BusinessError error) => new Failure(error);

    public sealed record Success(ResponseBody Payload) : ActionResult;

    /// <summary>A business error: the normal response shape with <c>Code</c> ≠ <c>OK</c>.</summary>
    public sealed record Failure(BusinessError Error) : ActionResult;

    public sealed record Rejected(GatewayError Error) : ActionResult;
}
