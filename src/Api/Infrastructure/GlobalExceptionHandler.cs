using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using BindingService.Application.Abstractions;
using BindingService.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// The last line: turns exceptions into problem responses. A malformed request is a 400, a broken
/// domain rule or a database integrity rule a 409, a transient database or timeout failure a 503; only a bug is a 500. Exception messages
/// are never returned (they could carry data); they are logged with their type. A body with a member its type does not
/// define (refused by <see cref="System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow"/>, set in
/// Program) is a 400 <c>request.unknown_member</c> naming the member under <c>errors</c>, never its value.
/// </summary>
internal sealed partial class GlobalExceptionHandler(IProblemDetailsService problems, ILogger<GlobalExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>The <c>code</c> of a body with a member its endpoint does not take.</summary>
    public const string UnknownMemberCode = "request.unknown_member";

    /// <summary>The <c>errors</c> key used when the unknown member's name is not shown (see <see cref="ShownName"/>).</summary>
    public const string UnnamedMemberKey = "body";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException { InnerException: JsonException json } && TryReadUnknownMember(json, out var member))
        {
            LogUnknownMember(logger, httpContext.Request.Method, httpContext.Request.Path);
            return await WriteUnknownMemberAsync(httpContext, exception, member);
        }

        var (status, code) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "request.malformed"),
            DomainException domain => (StatusCodes.Status409Conflict, domain.Code),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (ProblemCatalogue.ClientClosedRequest, "request.aborted"),
            StoreConflictException => (StatusCodes.Status409Conflict, "storage.conflict"),
            _ when StoredNumberUnreadableException.IsIn(exception) => (StatusCodes.Status409Conflict, StoredNumberUnreadableException.Code),
            _ when StorageFailure(exception) is StorageFault.Conflict => (StatusCodes.Status409Conflict, "storage.conflict"),
            _ when StorageFailure(exception) is StorageFault.Transient => (StatusCodes.Status503ServiceUnavailable, "storage.unavailable"),
            RetryLimitExceededException or TimeoutException or OperationCanceledException => (StatusCodes.Status503ServiceUnavailable, "storage.unavailable"),
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
            _ when StoredNumberUnreadableException.IsIn(exception) => "A phone number stored for this binding cannot be decrypted: the key it was written with is no longer " +
                "configured, or the stored value is damaged. Nothing in the request is wrong; an operator must restore the key (docs/operations.md, 'Rotating keys').",
            _ => null,
        };
        var problem = ProblemCatalogue.Create(status, code, detail);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// What a database error means for a retry (the error, or the one EF wrapped): an integrity violation (SQLSTATE
    /// class 23) fails again on every retry, so it is a 409; only a transient failure (connection, timeout,
    /// serialization, deadlock, the server shutting down: <see cref="DbException.IsTransient"/>) is a 503 worth a
    /// retry; anything else is a bug (500).
    /// </summary>
    internal static StorageFault StorageFailure(Exception exception)
    {
        var db = exception as DbException ?? exception.InnerException as DbException;
        if (db is null)
        {
            return StorageFault.None;
        }

        if (db.SqlState is { } state && state.StartsWith("23", StringComparison.Ordinal))
        {
            return StorageFault.Conflict;
        }

        return db.IsTransient || db.SqlState is "40001" or "40P01" ? StorageFault.Transient : StorageFault.Other;
    }

    internal enum StorageFault
    {
        None,
        Conflict,
        Transient,
        Other,
    }

    /// <summary>
    /// The member System.Text.Json refused as unmapped. It says so only in its message ("The JSON property 'x' could not
    /// be mapped to any .NET member contained in type 'T'."), which is read here and never returned; any other
    /// JsonException (a wrong type, broken JSON) is not one.
    /// </summary>
    internal static bool TryReadUnknownMember(JsonException exception, out string member)
    {
        var match = UnmappedMemberMessage().Match(exception.Message);
        member = match.Success ? match.Groups["name"].Value : string.Empty;
        return match.Success;
    }

    /// <summary>
    /// The member's name as it may be shown and logged: a plain field name (a letter first, then letters, digits,
    /// '_', '-' or '.', at most 64, never 5 digits in a row). Anything else could be data (a phone number sent as a
    /// key), so it is not echoed: the error is then filed under <see cref="UnnamedMemberKey"/>.
    /// </summary>
    internal static string? ShownName(string member) =>
        PlainMemberName().IsMatch(member) && !DigitRun().IsMatch(member) ? member : null;

    private async ValueTask<bool> WriteUnknownMemberAsync(HttpContext httpContext, Exception exception, string member)
    {
        var name = ShownName(member);
        var problem = ProblemCatalogue.Create(
            StatusCodes.Status400BadRequest,
            UnknownMemberCode,
            "The JSON body has a member this request does not take. Unknown members are refused, so that a misspelt field is not ignored.",
            new Dictionary<string, string[]>
            {
                [name ?? UnnamedMemberKey] =
                [
                    name is null
                        ? "The body has a member this request does not take (its name is not shown); check the field names."
                        : "Not a member of this request body: check its spelling against the API reference.",
                ],
            });
        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    [GeneratedRegex(@"^The JSON property '(?<name>.*)' could not be mapped to any \.NET member", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex UnmappedMemberMessage();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainMemberName();

    [GeneratedRegex("[0-9]{5}", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Method} {Path} refused: its JSON body has a member the endpoint does not take, answered 400")]
    private static partial void LogUnknownMember(ILogger logger, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request failed with {ExceptionType}, answered {StatusCode}")]
    private static partial void LogServerError(ILogger logger, string exceptionType, int statusCode, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request refused with {ExceptionType}, answered {StatusCode}")]
    private static partial void LogClientError(ILogger logger, string exceptionType, int statusCode);
}
