using System.Globalization;
using System.Text.Json;
using Microsoft.OpenApi;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Named request and response examples in the OpenAPI document (shown by Scalar). Each call adds one example, under
/// <paramref name="name"/>, to every media type of the request body or of the response with that status code; the
/// example object is serialised with the API's web JSON conventions (camelCase), so it reads like a real exchange.
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
}
