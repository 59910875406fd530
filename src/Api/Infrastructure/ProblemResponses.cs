using System.Globalization;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Problem responses written by middleware rather than by an endpoint (401, 403, 413, 429, 503 busy, 504): the same
/// shape as every other problem (<see cref="ProblemCatalogue"/>), completed with instance, traceId and requestId.
/// </summary>
public static class ProblemResponses
{
    public static async Task WriteAsync(
        HttpContext context, int status, string code, string detail, IReadOnlyDictionary<string, object?>? extensions = null, TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted)
        {
            return;
        }

        var problem = ProblemCatalogue.Create(status, code, detail);
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[name] = value;
        }

        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
