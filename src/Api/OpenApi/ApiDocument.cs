using Microsoft.AspNetCore.OpenApi;

namespace BindingService.Api.OpenApi;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>, shown by Scalar at <c>/scalar/v1</c>). The operations are described
/// here, in this folder — one <c>*Docs</c> class per endpoint group, applied by the endpoints with
/// <see cref="OperationDocs.Describe"/> — and the document-wide parts are added by the transformers below.
/// </summary>
public static class ApiDocument
{
    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddSchemaTransformer(ProblemSchemaTransformer.TransformAsync);
        options.AddDocumentTransformer(ProblemExamples.AddToResponsesWithoutExampleAsync);
        options.AddDocumentTransformer(SecurityDocs.AddSchemeAsync);
        options.AddOperationTransformer(SecurityDocs.AddRequirementAsync);
    }
}
