using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// The OpenAPI document declares the bearer scheme and, on every operation (all need a token: the health endpoints are
/// not in it), a security requirement naming the scopes the operation's policy demands — the same scopes the service
/// enforces (checked here by calling a sample of operations with a token that lacks exactly that scope).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class SecurityDocumentTests(ServiceFixture fixture)
{
    private static readonly string[] Methods = ["get", "put", "post", "patch", "delete"];

    [Fact]
    public async Task EveryOperation_DeclaresTheBearerScheme_WithTheScopeItsPathRequires()
    {
        using var anonymous = fixture.Factory.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json"); // the document itself is public

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                operations++;
                var what = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(operation.Value.TryGetProperty("security", out var security), $"{what} declares no security");
                var requirement = Assert.Single(security.EnumerateArray());
                if (path.Name.StartsWith("/v1/provider-receipts", StringComparison.Ordinal))
                {
                    // Aliyun's pushes carry the deployment's receipt secret, not a caller token.
                    Assert.True(requirement.TryGetProperty("receiptToken", out _), $"{what}: {requirement}");
                    continue;
                }

                var scopes = requirement.GetProperty("bearer").EnumerateArray().Select(s => s.GetString()).ToList();
                Assert.Equal([ExpectedScope(path.Name)], scopes);
            }
        }

        Assert.True(operations >= 25, $"only {operations} operations");
    }

    [Fact]
    public async Task TheDocumentsScopes_AreTheOnesEnforced()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Value.TryGetProperty("get", out _) && !p.Name.StartsWith("/v1/provider-receipts", StringComparison.Ordinal)))
        {
            var declared = path.Value.GetProperty("get").GetProperty("security")[0].GetProperty("bearer")[0].GetString()!;
            using var client = fixture.Factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TestTokens.For(scopes: string.Join(' ', TestTokens.AllScopes.Split(' ').Where(s => s != declared))));
            var url = path.Name.Replace("{", "x", StringComparison.Ordinal).Replace("}", string.Empty, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(url)).StatusCode);
        }
    }

    private static string ExpectedScope(string path) => path switch
    {
        _ when path.StartsWith("/v1/ride-orders", StringComparison.Ordinal) => "rides",
        _ when path.StartsWith("/v1/delivery-orders", StringComparison.Ordinal) => "deliveries",
        _ when path.StartsWith("/v1/bindings", StringComparison.Ordinal) || path.StartsWith("/v1/groups", StringComparison.Ordinal)
            || path.StartsWith("/v1/calls", StringComparison.Ordinal) => "bindings",
        _ when path.StartsWith("/v1/admin", StringComparison.Ordinal) => "pools:admin",
        _ => $"no scope expected for {path}",
    };
}
