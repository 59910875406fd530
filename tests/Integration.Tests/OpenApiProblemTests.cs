using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// The problem responses in <c>/openapi/v1.json</c> describe what the service sends: the ProblemDetails schemas
/// declare the extension members (code, errors, traceId, requestId), and every example of every problem response —
/// and real problems — validate against the schema the document declares for that response.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class OpenApiProblemTests(ServiceFixture fixture)
{
    [Fact]
    public async Task ProblemSchemas_DeclareTheExtensionMembersTheServiceSends()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schemas = document.GetProperty("components").GetProperty("schemas");

        foreach (var name in (string[])["ProblemDetails", "HttpValidationProblemDetails"])
        {
            var properties = schemas.GetProperty(name).GetProperty("properties");
            foreach (var member in (string[])["code", "traceId", "requestId"])
            {
                Assert.True(properties.TryGetProperty(member, out var declared), $"{name}.{member} is not declared");
                Assert.Contains("string", Types(declared));
                Assert.False(string.IsNullOrWhiteSpace(declared.GetProperty("description").GetString()), $"{name}.{member} has no description");
            }

            var required = schemas.GetProperty(name).GetProperty("required").EnumerateArray().Select(r => r.GetString()).ToList();
            Assert.Contains("code", required);
            Assert.Contains("requestId", required);
        }

        Assert.False(schemas.GetProperty("ProblemDetails").GetProperty("properties").TryGetProperty("errors", out _), "errors belongs to validation problems only");
        var errors = schemas.GetProperty("HttpValidationProblemDetails").GetProperty("properties").GetProperty("errors");
        Assert.Contains("object", Types(errors));
        Assert.Contains("array", Types(errors.GetProperty("additionalProperties")));
        Assert.Contains("string", Types(errors.GetProperty("additionalProperties").GetProperty("items")));
    }

    [Fact]
    public async Task EveryExampleOfEveryProblemResponse_ValidatesAgainstItsDeclaredSchema()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var failures = new List<string>();
        var examples = 0;
        foreach (var (where, schema, example) in ProblemExamples(document, failures))
        {
            examples++;
            Validate(document, schema, example, where, failures);
        }

        Assert.True(examples >= 50, $"expected examples for the problem responses of the whole API, found {examples}");
        Assert.True(failures.Count == 0, "problem examples that do not match their schema:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task RealProblems_ValidateAgainstTheSchemasOfTheirDocumentedResponses()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var orderUrl = $"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection";

        var failures = new List<string>();
        foreach (var (request, status, schema) in new[]
        {
            (new HttpRequestMessage(HttpMethod.Get, orderUrl), HttpStatusCode.NotFound, "ProblemDetails"),
            (new HttpRequestMessage(HttpMethod.Put, orderUrl) { Content = JsonContent.Create(new { passengerPhone = "123", driverPhone = "456" }) }, HttpStatusCode.BadRequest, "HttpValidationProblemDetails"),
            (new HttpRequestMessage(HttpMethod.Put, orderUrl) { Content = new StringContent("{", Encoding.UTF8, "application/json") }, HttpStatusCode.BadRequest, "HttpValidationProblemDetails"), // the exception handler's problem
        })
        {
            var requestId = $"openapi-problem-{Guid.NewGuid():N}";
            request.Headers.Add("X-Request-Id", requestId);
            using var response = await fixture.Client.SendAsync(request);

            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(requestId, problem.GetProperty("requestId").GetString());
            Assert.StartsWith("00-", problem.GetProperty("traceId").GetString(), StringComparison.Ordinal);
            Validate(document, schemas.GetProperty(schema), problem, $"{(int)status} {problem.GetProperty("code").GetString()}", failures);
            request.Dispose();
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Every example (single or named) of every 4xx/5xx response, with the schema its media type declares.</summary>
    private static IEnumerable<(string Where, JsonElement Schema, JsonElement Example)> ProblemExamples(JsonElement document, List<string> failures)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _)))
            {
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
                {
                    if (!response.Value.TryGetProperty("content", out var content))
                    {
                        continue;
                    }

                    foreach (var media in content.EnumerateObject())
                    {
                        var where = $"{operation.Name.ToUpperInvariant()} {path.Name} {response.Name} {media.Name}";
                        if (!media.Value.TryGetProperty("schema", out var schema))
                        {
                            failures.Add($"{where}: no schema");
                            continue;
                        }

                        var found = false;
                        if (media.Value.TryGetProperty("example", out var single))
                        {
                            found = true;
                            yield return (where, schema, single);
                        }

                        if (media.Value.TryGetProperty("examples", out var named))
                        {
                            foreach (var example in named.EnumerateObject())
                            {
                                found = true;
                                yield return ($"{where} example '{example.Name}'", schema, example.Value.GetProperty("value"));
                            }
                        }

                        if (!found)
                        {
                            failures.Add($"{where}: no example");
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// A small JSON Schema check, enough for the document's problem schemas: $ref, type (one or several), properties
    /// (a property the schema does not declare is a failure unless additionalProperties gives its schema),
    /// additionalProperties, items and required.
    /// </summary>
    private static void Validate(JsonElement document, JsonElement schema, JsonElement value, string where, List<string> failures)
    {
        schema = Resolve(document, schema);
        var types = Types(schema);
        if (types.Count > 0 && !types.Contains(TypeOf(value)) && !(TypeOf(value) == "integer" && types.Contains("number")))
        {
            failures.Add($"{where}: {TypeOf(value)} where the schema says {string.Join(" or ", types)}");
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                schema.TryGetProperty("properties", out var properties);
                var additional = schema.TryGetProperty("additionalProperties", out var a) && a.ValueKind == JsonValueKind.Object ? a : (JsonElement?)null;
                foreach (var property in value.EnumerateObject())
                {
                    if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var declared))
                    {
                        Validate(document, declared, property.Value, $"{where}.{property.Name}", failures);
                    }
                    else if (additional is { } additionalSchema)
                    {
                        Validate(document, additionalSchema, property.Value, $"{where}.{property.Name}", failures);
                    }
                    else
                    {
                        failures.Add($"{where}: property '{property.Name}' is not declared by the schema");
                    }
                }

                if (schema.TryGetProperty("required", out var required))
                {
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(name => !value.TryGetProperty(name, out _)))
                    {
                        failures.Add($"{where}: required property '{name}' is missing");
                    }
                }

                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Validate(document, items, item, $"{where}[{index++}]", failures);
                }

                break;
        }
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var target = document;
            foreach (var segment in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(segment);
            }

            schema = target;
        }

        return schema;
    }

    private static List<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)]
        : [type.GetString()!];

    private static string TypeOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        _ => "array",
    };
}
