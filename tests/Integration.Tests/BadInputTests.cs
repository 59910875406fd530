using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>A caller's mistake is a 400 ProblemDetails naming the field, never a 500, and nothing reaches the provider.</summary>
[Collection(ServiceCollection.Name)]
public sealed class BadInputTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    // Valid-looking numbers come from the generator the privacy scan searches for (PrivacyTests), so a refused request
    // that logged or stored one would be caught; malformed ones cannot be (they are not numbers).
    private static readonly string A = TestPhones.Next();
    private static readonly string B = TestPhones.Next();

    public static TheoryData<string, string> InvalidBodies() => new()
    {
        { $$"""{"passengerPhone":"1380013800","driverPhone":"{{B}}"}""", "passengerPhone" },
        { $$"""{"passengerPhone":"{{A}}","driverPhone":"139-0013-9000"}""", "driverPhone" },
        { $$"""{"driverPhone":"{{B}}"}""", "passengerPhone" },
        { $$"""{"passengerPhone":"{{A}}","driverPhone":"{{A}}"}""", "driverPhone" },
        { $$"""{"passengerPhone":"{{A}}","driverPhone":"{{B}}","expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt" },
        { $$"""{"passengerPhone":"{{A}}","driverPhone":"{{B}}","expiresAt":"2999-01-01T00:00:00Z"}""", "expiresAt" },
        { $$"""{"passengerPhone":"{{A}}","driverPhone":"{{B}}","city":""}""", "city" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Protect_WithAnInvalidField_Returns400NamingIt(string json, string field)
    {
        var response = await fixture.Client.PutAsync("/v1/ride-orders/bad-1/protection", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Empty(await fixture.Simulator.BindingsAsync());
    }

    public static TheoryData<string> MalformedBodies() => new()
    {
        "{not json",
        $$"""{"passengerPhone":{{A}}}""",
        $$"""{"passengerPhone":"{{A}}","driverPhone":"{{B}}","expiresAt":"tomorrow"}""",
        $$"""{"passengerPhone":"{{A}}","driverPhone":""",
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Protect_WithAMalformedBody_Returns400ProblemDetails(string json)
    {
        var response = await fixture.Client.PutAsync("/v1/ride-orders/bad-2/protection", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Protect_WithoutABody_Returns400()
    {
        var response = await fixture.Client.PutAsync("/v1/ride-orders/bad-3/protection", new StringContent(string.Empty, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Protect_WithAMalformedOrderId_Returns400()
    {
        var response = await fixture.Client.PutAsJsonAsync("/v1/ride-orders/has%20space/protection", new { passengerPhone = A, driverPhone = B });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("orderId", out _));
    }
}
