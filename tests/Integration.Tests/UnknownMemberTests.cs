using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// A body member the endpoint does not take is refused (issue 16 item 3): a misspelt <c>expiresAt</c> or
/// <c>recording</c> must not silently get the default. 400 <c>request.unknown_member</c> naming the member under
/// <c>errors</c>, never a 500, never a value from the request, and nothing reaches the provider.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class UnknownMemberTests(ServiceFixture fixture) : IAsyncLifetime
{
    private const string Later = "2030-01-01T00:00:00Z";

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every endpoint with a body: method, path, body ({A} and {B} become fresh phone numbers), the unknown member.</summary>
    public static TheoryData<string, string, string, string> EveryEndpointWithABody() => new()
    {
        { "PUT", "/v1/ride-orders/um-1/protection", $$"""{"passengerPhone":"{A}","driverPhone":"{B}","expiresAtt":"{{Later}}"}""", "expiresAtt" },
        { "PUT", "/v1/ride-orders/um-2/protection/driver", """{"driverPhone":"{B}","driverPhon":"{A}"}""", "driverPhon" },
        { "PUT", "/v1/ride-orders/um-3/protection/expiry", $$"""{"expiresOn":"{{Later}}"}""", "expiresOn" },
        { "PUT", "/v1/ride-orders/um-4/protection/recording", """{"recordingEnabled":true}""", "recordingEnabled" },
        { "PUT", "/v1/ride-orders/um-5/protection/call-restriction", """{"restriction":"none","restrict":"none"}""", "restrict" },
        { "POST", "/v1/ride-orders/um-6/protection/complete", """{"graceMinutes":10}""", "graceMinutes" },
        { "PUT", "/v1/delivery-orders/um-7/protection", """{"customerPhone":"{A}","courierPhone":"{B}","prodcut":"axb"}""", "prodcut" },
        { "PUT", "/v1/delivery-orders/um-8/protection/courier", """{"courier":"{B}"}""", "courier" },
        { "PUT", "/v1/delivery-orders/um-9/protection/tracking-number", """{"trackingNo":"SF1234567890"}""", "trackingNo" },
        { "POST", "/v1/bindings", """{"product":"axn","orderId":"um-10","partyA":"{A}","recordingEnabled":true}""", "recordingEnabled" },
        { "PATCH", "/v1/bindings/01936f5e-8b90-7c55-a3d2-6e1f0b7c9d21", $$"""{"expiresAtt":"{{Later}}"}""", "expiresAtt" },
        { "POST", "/v1/groups", """{"name":"couriers","member":["{A}"]}""", "member" },
        { "PUT", "/v1/groups/1/members", """{"number":["{A}"]}""", "number" },
        { "POST", "/v1/groups/1/members", """{"numbers":["{A}"],"dryRun":true}""", "dryRun" },
        { "DELETE", "/v1/groups/1/members", """{"numbers":["{A}"],"all":true}""", "all" },
        { "POST", $"/v1/admin/pools/{SimulatorHost.PoolKey}/numbers", """{"numbers":["17000000001"],"city":"北京"}""", "city" },
    };

    [Theory]
    [MemberData(nameof(EveryEndpointWithABody))]
    public async Task AnUnknownMember_Is400UnknownMember_NamingIt_WithoutEchoingValues(string method, string path, string template, string member)
    {
        var (a, b) = (TestPhones.Next(), TestPhones.Next());

        var response = await SendAsync(method, path, template.Replace("{A}", a, StringComparison.Ordinal).Replace("{B}", b, StringComparison.Ordinal));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("request.unknown_member", problem.GetProperty("code").GetString());
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(member, out _), $"errors should name {member}: {text}");
        Assert.DoesNotContain(a, text, StringComparison.Ordinal);
        Assert.DoesNotContain(b, text, StringComparison.Ordinal);
        Assert.Empty(await fixture.Simulator.BindingsAsync());
    }

    [Fact]
    public async Task AnUnknownMember_WhoseNameLooksLikeData_IsRefused_WithoutShowingTheName()
    {
        var (a, b, c) = (TestPhones.Next(), TestPhones.Next(), TestPhones.Next());

        var response = await SendAsync("PUT", "/v1/ride-orders/um-20/protection", $$"""{"passengerPhone":"{{a}}","driverPhone":"{{b}}","{{c}}":"x"}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("request.unknown_member", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _), text);
        Assert.DoesNotContain(c, text, StringComparison.Ordinal);
        Assert.Empty(await fixture.Simulator.BindingsAsync());
    }

    [Fact]
    public async Task KnownMembers_InAnotherCase_AreStillAccepted()
    {
        var response = await SendAsync("PUT", "/v1/ride-orders/um-21/protection", $$"""{"PassengerPhone":"{{TestPhones.Next()}}","DRIVERPHONE":"{{TestPhones.Next()}}"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ARefusedBody_DoesNotUseUpItsIdempotencyKey()
    {
        var key = Guid.NewGuid().ToString();
        var partyA = TestPhones.Next();

        var refused = await SendAsync("POST", "/v1/bindings", $$"""{"product":"axn","orderId":"um-22","partyA":"{{partyA}}","recordingEnabled":true}""", key);
        var corrected = await SendAsync("POST", "/v1/bindings", $$"""{"product":"axn","orderId":"um-22","partyA":"{{partyA}}","recording":true}""", key);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.True((await corrected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recording").GetBoolean());
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await fixture.Client.SendAsync(request);
    }
}
