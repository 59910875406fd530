using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BindingService.Api.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BindingService.Api.OpenApi;

/// <summary>
/// The builders the operation descriptions (<c>*Docs.cs</c> in this folder) are written with: the problem responses
/// an operation declares, its examples and its extra headers. An example is either the single one of a request body or
/// response (<c>example</c>) or one of several named ones (<c>examples</c>) where an operation has distinct cases worth
/// showing side by side. Each call adds to every media type of the request body or of the response with that status
/// code; example objects are serialised with the API's web JSON conventions (camelCase), and problem examples are
/// built by <see cref="ProblemExamples"/>, so they read like a real exchange.
/// </summary>
public static class OperationDocs
{
    /// <summary>Applies an operation's description (one of the methods of the <c>*Docs</c> classes) to its endpoint.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, Func<RouteHandlerBuilder, RouteHandlerBuilder> description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return description(endpoint);
    }

    /// <summary>Declares the problem responses an operation can give: 400 as a validation problem, the others as problems.</summary>
    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        ArgumentNullException.ThrowIfNull(statusCodes);
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

    /// <summary>The Idempotency-Key header (<see cref="IdempotencyFilter{TBody}"/>) and the 422 it can give.</summary>
    public static RouteHandlerBuilder WithIdempotencyKeyDocs(this RouteHandlerBuilder builder) =>
        builder
            .WithHeaderParameter(
                IdempotencyFilter<object>.HeaderName,
                "Optional. A unique key (e.g. a UUID) per intended operation, kept 24 h per caller: a retry with the same key and body replays the first response (Idempotent-Replayed: true); the same key with another body is 422 idempotency.key_reused; while the first is still running a retry waits for it (409 idempotency.in_progress after the wait timeout).")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>Adds a named example to the request body.</summary>
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

    /// <summary>Adds a named example to the response with <paramref name="statusCode"/>.</summary>
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
                    mediaType.Example = Node(example);
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
                mediaType.Example = Node(example);
            }

            return Task.CompletedTask;
        });
    }

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

    /// <summary>The example as JSON: a fresh node each time the document is built.</summary>
    internal static JsonNode? Node(object example) => JsonSerializer.SerializeToNode(example, example.GetType(), JsonSerializerOptions.Web);

    private static void AddTo(IEnumerable<OpenApiMediaType> mediaTypes, string name, object example, string? summary)
    {
        foreach (var mediaType in mediaTypes)
        {
            mediaType.Examples ??= new Dictionary<string, IOpenApiExample>(StringComparer.Ordinal);
            mediaType.Examples[name] = new OpenApiExample { Summary = summary, Value = Node(example) };
        }
    }
}
