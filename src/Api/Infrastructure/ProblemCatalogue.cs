using System.Diagnostics;
using BindingService.Application.Common;
using Microsoft.AspNetCore.Mvc;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// The problem responses (RFC 9457, <c>application/problem+json</c>) the service sends, defined once: the title of each
/// status, the <c>type</c> URI of each code, and the extension members. <see cref="ErrorResult"/> (expected failures of
/// the use cases), <see cref="GlobalExceptionHandler"/> (exceptions) and the OpenAPI examples all build their problems
/// here, and <see cref="Customize"/> completes every problem written through <see cref="IProblemDetailsService"/>.
/// The OpenAPI document declares the same members on its ProblemDetails schemas (OpenApi/ProblemSchemaTransformer.cs).
/// </summary>
public static class ProblemCatalogue
{
    /// <summary>The <c>type</c> of a problem is this plus its <see cref="CodeMember"/>.</summary>
    public const string TypeBase = "https://bindingservice.dev/problems/";

    /// <summary>Our stable, machine-readable error code, e.g. <c>order.not_found</c>.</summary>
    public const string CodeMember = "code";

    /// <summary>400 validation problems only: the offending fields, each with its messages.</summary>
    public const string ErrorsMember = "errors";

    /// <summary>The W3C trace context id of the request (<see cref="Activity.Id"/>), to find its trace.</summary>
    public const string TraceIdMember = "traceId";

    /// <summary>The request's id, as echoed in the X-Request-Id header and written on its log lines (<see cref="RequestIdMiddleware"/>).</summary>
    public const string RequestIdMember = "requestId";

    /// <summary>Status 499 (nginx's "client closed request"): the caller went away before the answer.</summary>
    public const int ClientClosedRequest = 499;

    public static string TypeOf(string code) => TypeBase + code;

    public static string TitleOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is invalid.",
        StatusCodes.Status401Unauthorized => "Authentication is required.",
        StatusCodes.Status403Forbidden => "Forbidden.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status409Conflict => "The request conflicts with the current state.",
        StatusCodes.Status422UnprocessableEntity => "The request was refused.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status429TooManyRequests => "Too many requests.",
        ClientClosedRequest => "Client closed request.",
        StatusCodes.Status503ServiceUnavailable => "Temporarily unavailable.",
        StatusCodes.Status504GatewayTimeout => "The request took too long.",
        < 500 => "The request is invalid.", // the other statuses of an unreadable request (413, 415, 431, …)
        _ => "An unexpected error occurred.",
    };

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// The problem of <paramref name="status"/> and <paramref name="code"/>: a validation problem when
    /// <paramref name="errors"/> is given. <see cref="Customize"/> adds instance, traceId and requestId when it is written.
    /// </summary>
    public static ProblemDetails Create(int status, string code, string? detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        ProblemDetails problem = errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(errors.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal));
        problem.Status = status;
        problem.Title = TitleOf(status);
        problem.Detail = detail;
        problem.Type = TypeOf(code);
        problem.Extensions[CodeMember] = code;
        return problem;
    }

    /// <summary>
    /// The <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/> of the service: every problem — ours, and the
    /// framework's status-code pages — names the request path as its instance and carries the trace and request ids.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        Complete(context.ProblemDetails, http.Request.Path, Activity.Current?.Id ?? http.TraceIdentifier, http.TraceIdentifier);
    }

    /// <summary>What <see cref="Customize"/> adds to a problem: the instance (unless set), the trace id and the request id.</summary>
    public static ProblemDetails Complete(ProblemDetails problem, string? instance, string traceId, string requestId)
    {
        ArgumentNullException.ThrowIfNull(problem);
        problem.Instance ??= instance;
        problem.Extensions[TraceIdMember] = traceId;
        problem.Extensions[RequestIdMember] = requestId;
        return problem;
    }
}
