using System.Data.Common;
using BindingService.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// The last line: turns exceptions into problem responses. A malformed request is a 400, a broken
/// domain rule a 409, a database or timeout failure a 503; only a bug is a 500. Exception messages
/// are never returned (they could carry data); they are logged with their type.
/// </summary>
internal sealed partial class GlobalExceptionHandler(IProblemDetailsService problems, ILogger<GlobalExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "request.malformed"),
            DomainException domain => (StatusCodes.Status409Conflict, domain.Code),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (ProblemCatalogue.ClientClosedRequest, "request.aborted"),
            DbException or RetryLimitExceededException or TimeoutException or OperationCanceledException => (StatusCodes.Status503ServiceUnavailable, "storage.unavailable"),
            _ => (StatusCodes.Status500InternalServerError, "internal"),
        };

        if (status >= 500)
        {
            LogServerError(logger, exception.GetType().Name, status, exception);
        }
        else
        {
            LogClientError(logger, exception.GetType().Name, status);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        httpContext.Response.StatusCode = status;
        var detail = exception switch
        {
            BadHttpRequestException => "The request could not be read: check the JSON body and the parameter formats.",
            DomainException domain => domain.Message,
            _ => null,
        };
        var problem = ProblemCatalogue.Create(status, code, detail);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request failed with {ExceptionType}, answered {StatusCode}")]
    private static partial void LogServerError(ILogger logger, string exceptionType, int statusCode, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request refused with {ExceptionType}, answered {StatusCode}")]
    private static partial void LogClientError(ILogger logger, string exceptionType, int statusCode);
}
