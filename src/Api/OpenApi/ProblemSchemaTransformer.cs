using BindingService.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BindingService.Api.OpenApi;

/// <summary>
/// Declares on the ProblemDetails and HttpValidationProblemDetails schemas the extension members the service really
/// sends (<see cref="ProblemCatalogue"/>): <c>code</c>, <c>traceId</c> and <c>requestId</c> on every problem, and
/// <c>errors</c> (an object of string arrays) on validation problems. The framework's schemas only know the RFC 9457
/// members. Extension members stay allowed (RFC 9457, section 3.2), so the schemas do not close additionalProperties.
/// </summary>
public static class ProblemSchemaTransformer
{
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        var type = context.JsonTypeInfo.Type;
        if (context.JsonPropertyInfo is not null || !typeof(ProblemDetails).IsAssignableFrom(type))
        {
            return Task.CompletedTask;
        }

        schema.Properties ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        schema.Properties[ProblemCatalogue.CodeMember] = Text(
            "Our stable, machine-readable error code, e.g. `order.not_found`; `type` is https://bindingservice.dev/problems/ followed by it. Branch on this, not on `title` or `detail`.");
        schema.Properties[ProblemCatalogue.TraceIdMember] = Text(
            "The W3C trace context id of the request (`00-<trace-id>-<span-id>-<flags>`): finds the request's trace.");
        schema.Properties[ProblemCatalogue.RequestIdMember] = Text(
            "The request's id, also in the `X-Request-Id` response header and on every log line of the request: the caller's own `X-Request-Id` when it sent a safe one.");
        if (typeof(HttpValidationProblemDetails).IsAssignableFrom(type))
        {
            schema.Properties[ProblemCatalogue.ErrorsMember] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "The offending fields (JSON property names, or a header name), each with what is wrong with it.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }

        schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in (string[])["type", "title", "status", ProblemCatalogue.CodeMember, ProblemCatalogue.TraceIdMember, ProblemCatalogue.RequestIdMember])
        {
            schema.Required.Add(member);
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
