using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Request and response examples in the OpenAPI document, per endpoint: the example objects are serialized as the
/// API serializes them (camelCase) and set on every media type of the request body or of the response with that
/// status (a response not yet described is added as application/json).
/// </summary>
public static class EndpointOpenApiExamples
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

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
                    mediaType.Example = ToNode(example);
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
                mediaType.Example = ToNode(example);
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

    private static JsonNode? ToNode(object example) => JsonSerializer.SerializeToNode(example, example.GetType(), Json);
}
