using System.Diagnostics;
using BindingService.AliyunSimulator.Actions;
using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.Faults;
using BindingService.AliyunSimulator.Responses;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Gateway;

/// <summary>
/// Dyplsapi 2017-05-25 at <c>/</c>: GET with the parameters in the query string, or POST with them in an
/// <c>application/x-www-form-urlencoded</c> body. Runs the <see cref="PopGateway"/>, hands the request to the
/// action's <see cref="IActionHandler"/>, and renders the answer as JSON or XML. Between the gateway and the handler
/// the <see cref="FaultInjector"/> may throttle, delay, refuse or interrupt the request (so a badly signed request is
/// still refused as such, and a refused one never reaches the handler); an interruption in <c>after</c> mode strikes
/// once the handler has run.
/// </summary>
public static class DyplsapiEndpoint
{
    public const string LoggerCategory = "BindingService.AliyunSimulator.Dyplsapi";

    public static IEndpointConventionBuilder MapDyplsapi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMethods("/", [HttpMethods.Get, HttpMethods.Post], HandleAsync).WithName("Dyplsapi").ExcludeFromDescription();

    /// <summary>A new request id per request: upper-case 8-4-4-4-12 hex, as in the documents (R-FMT-2).</summary>
    public static string NewRequestId() => Guid.NewGuid().ToString("D").ToUpperInvariant();

    private static async Task<IResult> HandleAsync(
        HttpContext http,
        PopGateway gateway,
        FaultInjector faults,
        IOptions<SimulatorOptions> options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var logger = loggerFactory.CreateLogger(LoggerCategory);
        var settings = options.Value;
        var requestId = NewRequestId();
        var method = http.Request.Method;
        http.Response.Headers["x-acs-request-id"] = requestId;

        var parameters = await PopRequestReader.ReadAsync(http.Request, cancellationToken);
        var decision = parameters is null
            ? new GatewayDecision(ResponseFormat.Json, string.Empty, null, null, GatewayError.MalformedBody)
            : gateway.Check(method, parameters);
        var loggedAction = decision.Handler?.Action ?? PhoneMask.MaskDigitRuns(decision.Action);

        if (decision.Error is { } refusal)
        {
            SimulatorLog.Refused(logger, loggedAction, refusal.Code, refusal.HttpStatus, method, requestId);
            return GatewayErrorResult(refusal, requestId, decision.Format, settings.HostId);
        }

        var handler = decision.Handler!;
        var fault = faults.Decide(handler.Action, decision.AccessKeyId!, requestId);
        if (fault.Latency > TimeSpan.Zero && !await faults.DelayAsync(fault.Latency, cancellationToken))
        {
            return Results.Empty;
        }

        if (fault.Error is { } injected)
        {
            return injected.GatewayShape
                ? GatewayErrorResult(new GatewayError(injected.HttpStatus, injected.Code, injected.Message), requestId, decision.Format, settings.HostId)
                : Render(ActionBody(requestId, injected.Code, injected.Message, payload: null), decision.Format, handler.Action + "Response", injected.HttpStatus);
        }

        if (fault.Interruption is { Phase: FaultPhase.Before } early)
        {
            return await faults.InterruptAsync(http, early);
        }

        var result = handler.Handle(new ActionRequest(handler.Action, requestId, decision.AccessKeyId!, parameters!));
        if (fault.Interruption is { Phase: FaultPhase.After } late)
        {
            return await faults.InterruptAsync(http, late);
        }

        if (fault.AnswerDelay > TimeSpan.Zero && !await faults.DelayAsync(fault.AnswerDelay, cancellationToken))
        {
            return Results.Empty; // the client went away: the action stays applied, as at the real provider
        }

        IResult answer;
        string code;
        int status;
        switch (result)
        {
            case ActionResult.Success success:
                (code, status) = ("OK", StatusCodes.Status200OK);
                answer = Render(ActionBody(requestId, code, success.Message, success.Payload), decision.Format, handler.Action + "Response", status);
                break;
            case ActionResult.Failure failure:
                code = failure.Error.Code;
                status = settings.BusinessErrorHttpStatus.GetValueOrDefault(code, StatusCodes.Status200OK);
                answer = Render(ActionBody(requestId, code, failure.Error.Message, payload: null), decision.Format, handler.Action + "Response", status);
                break;
            case ActionResult.ShapedBody shaped:
                (code, status) = (shaped.LoggedCode, StatusCodes.Status200OK);
                answer = Render(shaped.Body(requestId), decision.Format, handler.Action + "Response", status);
                break;
            case ActionResult.Rejected rejected:
                SimulatorLog.Refused(logger, loggedAction, rejected.Error.Code, rejected.Error.HttpStatus, method, requestId);
                return GatewayErrorResult(rejected.Error, requestId, decision.Format, settings.HostId);
            default:
                throw new InvalidOperationException($"Unknown action result {result.GetType().Name}.");
        }

        SimulatorLog.Answered(logger, loggedAction, code, status, method, requestId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return answer;
    }

    private static ResponseBody ActionBody(string requestId, string code, string message, ResponseBody? payload)
    {
        var body = new ResponseBody { { "RequestId", requestId }, { "Code", code }, { "Message", message } };
        if (payload is not null)
        {
            foreach (var (name, value) in payload)
            {
                body.Add(name, value);
            }
        }

        return body;
    }

    /// <summary>The gateway error body (docs/provider-rules.md, 'Requests and responses', A.3); in XML under <c>&lt;Error&gt;</c>.</summary>
    private static IResult GatewayErrorResult(GatewayError error, string requestId, ResponseFormat format, string hostId)
    {
        var body = new ResponseBody
        {
            { "RequestId", requestId },
            { "HostId", hostId },
            { "Code", error.Code },
            { "Message", error.Message },
            { "Recommend", $"https://error-center.aliyun.com/status/search?Keyword={Uri.EscapeDataString(error.Code)}&source=PopGw" },
        };
        return Render(body, format, "Error", error.HttpStatus);
    }

    private static IResult Render(ResponseBody body, ResponseFormat format, string xmlRoot, int status)
    {
        var (bytes, contentType) = ResponseWriter.Render(body, format, xmlRoot);
        return Results.Text(bytes, contentType, status);
    }
}
