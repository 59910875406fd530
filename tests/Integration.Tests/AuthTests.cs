using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// Who may call (docs/security.md): every business endpoint needs a valid token from the trusted issuer (401 problem
/// otherwise, whatever is wrong with it), the scope of its business line (403 problem naming it), while the health
/// endpoints stay anonymous. Tokens are real, signed by the suite's own issuer (<see cref="TestTokens"/>).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class AuthTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string?> RefusedTokens() => new()
    {
        { "none", null },
        { "bad signature", TestTokens.For(key: TestTokens.UntrustedKey()) },
        { "expired", TestTokens.For(notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1)) },
        { "wrong audience", TestTokens.For(audience: "another-service") },
        { "wrong issuer", TestTokens.For(issuer: "https://someone-else.invalid") },
        { "caller id with a space", TestTokens.For(caller: "not a caller") },
        { "no caller claim", TestTokens.For(callerClaim: "client_id") },
        { "not a JWT", "abc.def.ghi" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task ARequestWithout_AValidToken_Is401Problem_AndChangesNothing(string why, string? token)
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/ride-orders/{orderId}/protection")
        {
            Content = JsonContent.Create(new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() }),
        };
        request.Headers.Authorization = token is null ? null : TestTokens.Bearer(token);
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = null;

        using var response = await client.SendAsync(request);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "auth.unauthenticated", why);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Empty(await fixture.Simulator.BindingsAsync());
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings"));
    }

    [Fact]
    public async Task AnExpiredToken_IsTold_ItHasExpired()
    {
        using var client = ClientWith(TestTokens.For(notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1)));
        var problem = await AssertProblemAsync(await client.GetAsync($"/v1/ride-orders/r-{Guid.NewGuid():N}/protection"), HttpStatusCode.Unauthorized, "auth.unauthenticated", "expired");
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string> ScopeCases() => new()
    {
        { "deliveries bindings pools:admin", "GET", "/v1/ride-orders/r-1/protection", "rides" },
        { "rides bindings pools:admin", "GET", "/v1/delivery-orders/d-1/protection", "deliveries" },
        { "rides deliveries pools:admin", "GET", $"/v1/bindings/{Guid.Empty:N}", "bindings" },
        { "rides deliveries pools:admin", "GET", $"/v1/groups/{Guid.Empty:N}", "bindings" },
        { "rides deliveries bindings", "GET", "/v1/admin/pools/FC100000000000001/numbers", "pools:admin" },
    };

    [Theory]
    [MemberData(nameof(ScopeCases))]
    public async Task ATokenWithoutTheOperationsScope_Is403_NamingTheScope(string scopes, string method, string path, string needed)
    {
        using var client = ClientWith(TestTokens.For(scopes: scopes));

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "auth.scope_missing", path);
        Assert.Equal([needed], problem.GetProperty("requiredScopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains($"'{needed}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The same token with the scope added is let through (here: to a 404 of a missing resource).
        using var allowed = ClientWith(TestTokens.For(scopes: $"{scopes} {needed}"));
        var status = (await allowed.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode;
        Assert.True(status is HttpStatusCode.NotFound or HttpStatusCode.OK, $"{path} with the scope: {(int)status}");
    }

    [Fact]
    public async Task TheScopeClaim_MayAlsoBe_Scp()
    {
        // Issuers that write "scp" instead of "scope" are understood the same way.
        using var withRides = ClientWith(TestTokens.For(scopes: "deliveries rides", scopeClaim: "scp"));
        using var withoutRides = ClientWith(TestTokens.For(scopes: "deliveries", scopeClaim: "scp"));
        Assert.Equal(HttpStatusCode.NotFound, (await withRides.GetAsync("/v1/ride-orders/r-1/protection")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await withoutRides.GetAsync("/v1/ride-orders/r-1/protection")).StatusCode);
    }

    [Fact]
    public async Task HealthEndpoints_AreAnonymous()
    {
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    private HttpClient ClientWith(string token)
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = TestTokens.Bearer(token);
        return client;
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string because)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{because}: expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("requestId", out _), "a problem carries the request id");
        return problem;
    }
}
