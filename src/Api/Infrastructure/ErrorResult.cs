using System.Globalization;
using System.Reflection;
using BindingService.Application.Common;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// The one mapping from an application <see cref="Error"/> to an RFC 9457 problem response:
/// Validation 400 (with the offending fields), NotFound 404, Conflict 409, Unprocessable 422,
/// Unavailable 503 with Retry-After. The problem's "code" extension is our stable error code.
/// </summary>
public sealed class ErrorResult(Error error) : IResult, IEndpointMetadataProvider
{
    public Error Error { get; } = error;

    public static ErrorResult MissingBody() =>
        new(Error.Validation(new Dictionary<string, string[]> { ["body"] = ["A JSON request body is required."] }));

    public static int StatusCodeFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var status = StatusCodeFor(Error.Kind);
        ProblemDetails problem = Error.Fields is { } fields
            ? new HttpValidationProblemDetails(fields.ToDictionary(f => f.Key, f => f.Value))
            : new ProblemDetails();
        problem.Status = status;
        problem.Title = Title(Error.Kind);
        problem.Detail = Error.Detail;
        problem.Type = $"https://bindingservice.dev/problems/{Error.Code}";
        problem.Extensions["code"] = Error.Code;

        if (Error.RetryAfter is { } retryAfter)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = status;
        return httpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
        }).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        // Status codes are declared per endpoint with ProducesErrors.
    }

    private static string Title(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => "The request is invalid.",
        ErrorKind.NotFound => "Not found.",
        ErrorKind.Conflict => "The request conflicts with the current state.",
        ErrorKind.Unprocessable => "The request was refused.",
        ErrorKind.Unavailable => "Temporarily unavailable.",
        _ => "Error.",
    };
}

public static class ErrorResultEndpointExtensions
{
    /// <summary>Declares the problem responses an endpoint can give, for OpenAPI.</summary>
    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var status in statusCodes)
        {
            if (status == StatusCodes.Status400BadRequest)
            {
                builder.ProducesValidationProblem();
            }
            else
            {
                builder.ProducesProblem(status);
            }
        }

        return builder;
    }
}
