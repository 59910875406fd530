using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// The one place endpoints describe their examples and extra headers in the OpenAPI document (shown by Scalar):
/// a single example per request body or response (<c>example</c>), or several named ones (<c>examples</c>) where an
/// operation has distinct cases worth showing side by side. Each call adds to every media type of the request body or
/// of the response with that status code; example objects are serialised with the API's web JSON conventions
/// (camelCase), so they read like a real exchange.
/// </summary>
public static class EndpointExamples
{
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, string name, object example, string? summary = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.RequestBody?.Content is { } content)
            {
                AddTo(content.Values, name, example, summary);
            }

            return Task.CompletedTask;
        });
    }

    public static RouteHandlerBuilder WithResponseExample(this RouteHandlerBuilder builder, int statusCode, string name, object example, string? summary = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var key = statusCode.ToString(CultureInfo.InvariantCulture);
            if (operation.Responses is { } responses && responses.TryGetValue(key, out var response) && response.Content is { } content)
            {
                AddTo(content.Values, name, example, summary);
            }

            return Task.CompletedTask;
        });
    }

    private static void AddTo(IEnumerable<OpenApiMediaType> mediaTypes, string name, object example, string? summary)
    {
        foreach (var mediaType in mediaTypes)
        {
            mediaType.Examples ??= new Dictionary<string, IOpenApiExample>(StringComparer.Ordinal);
            mediaType.Examples[name] = new OpenApiExample
            {
                Summary = summary,
                Value = JsonSerializer.SerializeToNode(example, JsonSerializerOptions.Web), // a fresh node each time the document is built
            };
        }
    }

    

    /// <summary>Sets the request body's example.</summary>
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, object example)
    {
        ArgumentNullException.ThrowIfNull(example);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.RequestBody?.Content is { } content)
            {
                foreach (var mediaType in content.Values)
                {
                    mediaType.Example = SingleNode(example);
                }
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>Sets the example of the response with <paramref name="statusCode"/>.</summary>
    public static RouteHandlerBuilder WithResponseExample(this RouteHandlerBuilder builder, int statusCode, object example, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(example);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var key = statusCode.ToString(CultureInfo.InvariantCulture);
            operation.Responses ??= [];
            if (!operation.Responses.TryGetValue(key, out var response))
            {
                response = new OpenApiResponse { Description = description ?? key };
                operation.Responses[key] = response;
            }

            if (response is OpenApiResponse concrete)
            {
                concrete.Content ??= new Dictionary<string, OpenApiMediaType>();
                if (concrete.Content.Count == 0)
                {
                    concrete.Content["application/json"] = new OpenApiMediaType();
                }

                if (description is not null)
                {
                    concrete.Description = description;
                }
            }

            foreach (var mediaType in response.Content?.Values ?? [])
            {
                mediaType.Example = SingleNode(example);
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>Documents an optional request header.</summary>
    public static RouteHandlerBuilder WithHeaderParameter(this RouteHandlerBuilder builder, string name, string description)
    {
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Header,
                Required = false,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });
    }

    private static JsonNode? SingleNode(object example) => JsonSerializer.SerializeToNode(example, example.GetType(), JsonSerializerOptions.Web);

    /// <summary>The request example (when there is a body) and one example per listed response status.</summary>
    public static RouteHandlerBuilder WithExamples(this RouteHandlerBuilder builder, object? request, params (int Status, object Example)[] responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        if (request is not null)
        {
            builder.WithRequestExample(request);
        }

        foreach (var (status, example) in responses)
        {
            builder.WithResponseExample(status, example);
        }

        return builder;
    }

    /// <summary>
    /// A document transformer for the error responses an endpoint declares without its own example: each gets a
    /// representative problem of its status, so every response in the reference shows what a caller receives.
    /// Endpoints with more specific examples (their own codes and details) keep them.
    /// </summary>
    public static Task AddProblemExamplesAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
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
                    mediaType.Example = JsonSerializer.SerializeToNode(GenericProblem(code), JsonSerializerOptions.Web);
                }
            }
        }

        return Task.CompletedTask;
    }

    private static object GenericProblem(int status) => status switch
    {
        400 => new
        {
            type = "https://bindingservice.dev/problems/request.invalid",
            title = "The request is invalid.",
            status,
            detail = "One or more fields are invalid.",
            code = "request.invalid",
            errors = new Dictionary<string, string[]> { ["partyA"] = ["Must be an 11-digit mainland mobile number or a landline with its area code, digits only."] },
        },
        404 => Problem(status, "Not found.", "not_found", "Nothing exists under that key for this caller."),
        409 => Problem(status, "The request conflicts with the current state.", "binding.not_active", "The binding has ended; it can no longer change."),
        422 => Problem(status, "The request was refused.", "provider.forbidden", "The provider refused the operation for this pool or number."),
        503 => Problem(status, "Temporarily unavailable.", "provider.unavailable", "The number protection provider is unavailable."),
        _ => Problem(status, "Error.", "error", "The request failed."),
    };

    private static object Problem(int status, string title, string code, string detail) => new
    {
        type = $"https://bindingservice.dev/problems/{code}",
        title,
        status,
        detail,
        code,
    };
}
