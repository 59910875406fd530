using BindingService.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace BindingService.Api.OpenApi;

/// <summary>
/// The bearer scheme in the OpenAPI document and, on every operation that needs a token, a security requirement naming
/// the scopes its authorization policies require (docs/security.md). Anonymous operations (none among the business
/// endpoints) get none. The API reference (Scalar) offers the scheme, so a pasted token is sent with each try.
/// </summary>
public static class SecurityDocs
{
    public const string SchemeName = "bearer";

    /// <summary>The provider's receipt pushes: the deployment's receipt secret (docs/receipts.md).</summary>
    public const string ReceiptSchemeName = "receiptToken";

    public static Task AddSchemeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT from a trusted issuer with audience `bindingservice` (configurable); the caller id is its `sub` claim "
                + "(configurable) and its `scope` claim lists the scopes: "
                + string.Join("; ", Scopes.Descriptions.Select(s => $"`{s.Key}`: {s.Value}")) + " Locally, `scripts/run.sh` prints a token.",
        };
        document.Components.SecuritySchemes[ReceiptSchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Receipt-Token",
            Description = "Aliyun's receipt pushes only: the deployment's receipt secret (Receipts:Secret), in this header or as ?token=.",
        };
        return Task.CompletedTask;
    }

    public static Task AddRequirementAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<SecuredBy>().FirstOrDefault() is { } securedBy)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(securedBy.Scheme, context.Document)] = [] });
            return Task.CompletedTask;
        }

        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return Task.CompletedTask;
        }

        var scopes = metadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy)
            .OfType<string>()
            .Where(policy => Scopes.All.Contains(policy, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = scopes,
        });
        return Task.CompletedTask;
    }

    /// <summary>The API reference offers the bearer scheme for every try.</summary>
    public static void ConfigureReference(ScalarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPreferredSecuritySchemes(SchemeName);
    }
}

/// <summary>An anonymous endpoint (no caller token) that is secured by another scheme of <see cref="SecurityDocs"/>.</summary>
public sealed record SecuredBy(string Scheme);
