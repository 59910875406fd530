using System.Globalization;
using System.Reflection;
using BindingService.Application.Common;
using Microsoft.AspNetCore.Http.Metadata;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// The one mapping from an application <see cref="Error"/> to a problem response (<see cref="ProblemCatalogue"/>):
/// Validation 400 (with the offending fields), NotFound 404, Conflict 409, Unprocessable 422,
/// Unavailable 503 with Retry-After. The problem's "code" extension is our stable error code.
/// </summary>
public sealed class ErrorResult(Error error) : IResult, IEndpointMetadataProvider
{
    public Error Error { get; } = error;

    public static ErrorResult MissingBody() =>
        new(Error.Validation(new Dictionary<string, string[]> { ["body"] = ["A JSON request body is required."] }));

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var status = ProblemCatalogue.StatusOf(Error.Kind);
        var problem = ProblemCatalogue.Create(status, Error.Code, Error.Detail, Error.Fields);
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
        // The problem responses of an endpoint are declared with its OpenAPI description (src/Api/OpenApi).
    }
}
