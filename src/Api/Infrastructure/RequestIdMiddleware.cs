using Serilog.Context;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Gives every request an id: the caller's X-Request-Id when it is a short safe token, else ours.
/// It is echoed in the response, added to every log line of the request and to problem responses.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[HeaderName].ToString();
        var requestId = IsSafe(incoming) ? incoming : context.TraceIdentifier;
        context.TraceIdentifier = requestId;
        // Set when the response starts, so it survives the exception handler clearing the headers of a failed request.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        });
        using (LogContext.PushProperty("RequestId", requestId))
        {
            await next(context);
        }
    }

    private static bool IsSafe(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
