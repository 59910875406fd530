using System.Globalization;
using BindingService.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BindingService.Api.OpenApi;

/// <summary>
/// Problem examples, built the way the service builds its problems (<see cref="ProblemCatalogue"/>) and serialised by
/// the same converter, so an example is exactly what a caller receives: type, title, status, detail, instance, errors
/// (validation only), code, traceId, requestId.
/// </summary>
public static class ProblemExamples
{
    /// <summary>The trace id the examples show (W3C traceparent form, as <c>Activity.Id</c> gives it).</summary>
    public const string TraceId = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    /// <summary>The request id the examples show (Kestrel's connection id and request number).</summary>
    public const string RequestId = "0HNC8M2K4V7QF:00000001";

    public static ProblemDetails Problem(int status, string code, string detail, string? instance = null) =>
        ProblemCatalogue.Complete(ProblemCatalogue.Create(status, code, detail), instance, TraceId, RequestId);

    /// <summary>A 400 <c>request.invalid</c> naming the offending fields.</summary>
    public static ProblemDetails Invalid(string? instance, IReadOnlyDictionary<string, string[]> errors) =>
        ProblemCatalogue.Complete(ProblemCatalogue.Create(StatusCodes.Status400BadRequest, "request.invalid", "One or more fields are invalid.", errors), instance, TraceId, RequestId);

    /// <summary>A 400 <c>request.invalid</c> naming one field.</summary>
    public static ProblemDetails Invalid(string? instance, string field, string message) =>
        Invalid(instance, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    /// <summary>
    /// A document transformer for the error responses an operation declares without its own example: each gets a
    /// representative problem of its status, so every response in the reference shows what a caller receives.
    /// Operations with more specific examples (their own codes and details) keep them.
    /// </summary>
    public static Task AddToResponsesWithoutExampleAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var operations = document.Paths is null ? [] : document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>());
        foreach (var operation in operations)
        {
            foreach (var (status, response) in operation.Responses ?? new OpenApiResponses())
            {
                if (!int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code < 400 || response.Content is null)
                {
                    continue;
                }

                foreach (var mediaType in response.Content.Values.Where(m => m.Example is null && (m.Examples is null || m.Examples.Count == 0)))
                {
                    mediaType.Example = OperationDocs.Node(Generic(code));
                }
            }
        }

        return Task.CompletedTask;
    }

    private static ProblemDetails Generic(int status) => status switch
    {
        StatusCodes.Status400BadRequest => Invalid(null, "partyA", "Must be an 11-digit mainland mobile number or a landline with its area code, digits only."),
        StatusCodes.Status404NotFound => Problem(status, "not_found", "Nothing exists under that key for this caller."),
        StatusCodes.Status409Conflict => Problem(status, "binding.not_active", "The binding has ended; it can no longer change."),
        StatusCodes.Status422UnprocessableEntity => Problem(status, "provider.forbidden", "The provider refused the operation for this pool or number."),
        StatusCodes.Status503ServiceUnavailable => Problem(status, "provider.unavailable", "The number protection provider is unavailable."),
        _ => Problem(status, "error", "The request failed."),
    };
}
