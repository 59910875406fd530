using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BindingService.Api.Infrastructure;
using BindingService.Domain.Bindings;
using BindingService.Integration.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BindingService.Integration.Tests;

/// <summary>
/// The error rules a caller sees over HTTP (docs/api.md, "Errors"), through the real service, database and simulator:
/// the exception handler's codes (GlobalExceptionHandler: 400 <c>request.malformed</c>, 409 for a broken domain rule,
/// 503 <c>storage.unavailable</c> for a database failure, a 500 that hides the exception), <c>binding.pending</c>
/// after the wait for a Pending binding, <c>idempotency.in_progress</c> while the first request with a key runs, and a
/// release whose unbind fails. Every 503 (and the 409 that asks for a retry) is checked for its Retry-After value.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class HttpErrorRuleTests(ServiceFixture fixture) : IAsyncLifetime
{
    /// <summary>How long the provider holds a bind: far longer than the waits under test (0.5 s), so the first request is still running.</summary>
    private const int BindLatencyMs = 5000;

    private readonly List<IAsyncDisposable> _hosts = [];

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync()
    {
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            await _hosts[i].DisposeAsync();
        }
    }

    // ---------- the exception handler

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"expiresAt":"tomorrow"}""")]
    [InlineData("[]")]
    public async Task AnUnreadableBody_Is400RequestMalformed(string json)
    {
        var response = await fixture.Client.PutAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.malformed");
        Assert.Null(response.Headers.RetryAfter);
        Assert.DoesNotContain("tomorrow", problem.GetRawText(), StringComparison.Ordinal); // what was sent is not echoed
        Assert.Empty(await fixture.Simulator.BindingsAsync());
    }

    [Fact]
    public async Task ABrokenDomainRule_Is409_WithTheRulesCodeAndSentence()
    {
        // Domain code breaking its own rule behind the whole pipeline: an order key whose caller id has a space (the
        // token check keeps such caller ids out of real requests; AuthTests proves that).
        var instance = Start(configure: services => services.AddSingleton<IStartupFilter>(
            new ThrowingEndpoint(() => _ = new OrderKey("not a caller id", BusinessLine.Ride, "ride-1"))));

        var response = await instance.CreateClient().GetAsync(ThrowingEndpoint.Path);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, "caller.invalid");
        Assert.Equal("The caller id is missing or malformed.", problem.GetProperty("detail").GetString());
        Assert.Null(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task ADatabaseFailure_Is503StorageUnavailable_WithRetryAfter5()
    {
        // A real failure of the real database: the bindings table is locked by the test, and this instance's sessions
        // give up waiting for a lock after 200 ms (lock_not_available), the execution strategy's retries included.
        var connectionString = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Options = "-c lock_timeout=200" }.ConnectionString;
        var instance = Start(("ConnectionStrings:Postgres", connectionString));
        var client = instance.CreateClient();
        await using var locker = new NpgsqlConnection(fixture.ConnectionString);
        await locker.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE bindings IN ACCESS EXCLUSIVE MODE", locker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection");
        }
        finally
        {
            await transaction.RollbackAsync();
        }

        var problem = await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "storage.unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain("lock", problem.GetRawText(), StringComparison.OrdinalIgnoreCase); // the database's message stays in the log

        // Once the database answers again, so does the service.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection")).StatusCode);
    }

    [Fact]
    public async Task AnUnexpectedException_Is500Internal_AndItsTextIsNotShown()
    {
        var secret = $"secret-{Guid.NewGuid():N}";
        var instance = Start(configure: services => services.AddSingleton<IStartupFilter>(new ThrowingEndpoint(() => throw new InvalidOperationException($"The bug's own words: {secret}"))));

        var response = await instance.CreateClient().GetAsync(ThrowingEndpoint.Path);

        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "internal");
        var body = problem.GetRawText();
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(ThrowingEndpoint), body, StringComparison.Ordinal); // no stack trace
        Assert.Null(response.Headers.RetryAfter);
    }

    // ---------- binding.pending and idempotency.in_progress: a second request while the first is at the provider

    [Fact]
    public async Task AProtectMeetingAPendingBinding_After_PendingWaitTimeout_Is503BindingPending_RetryAfter2()
    {
        var client = (await StartHeldAtTheProviderAsync()).CreateClient();
        var url = $"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection";
        var body = new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() };

        var first = client.PutAsJsonAsync(url, body);
        await WaitUntilAsync(async () => await fixture.ScalarAsync<long>("SELECT count(*) FROM bindings WHERE status = 'Pending'") == 1, "the first protect never recorded its Pending binding");
        var second = await client.PutAsJsonAsync(url, body);

        Assert.False(first.IsCompleted, "the first protect was answered before the second stopped waiting: nothing was tested");
        await AssertProblemAsync(second, HttpStatusCode.ServiceUnavailable, "binding.pending");
        Assert.Equal(TimeSpan.FromSeconds(2), second.Headers.RetryAfter?.Delta);

        var created = await first;
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var retried = await client.PutAsJsonAsync(url, body); // the retry the 503 asked for
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(
            (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString(),
            (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString());
        Assert.Single(await fixture.Simulator.BindingsAsync());
    }

    [Fact]
    public async Task ARepeatOfAKeyedRequestStillRunning_After_WaitTimeout_Is409IdempotencyInProgress_RetryAfter1()
    {
        var client = (await StartHeldAtTheProviderAsync()).CreateClient();
        var key = Guid.NewGuid().ToString();
        var orderId = $"gen-{Guid.NewGuid():N}";
        var body = new { product = "axb", orderId, partyA = TestPhones.Next(), partyB = TestPhones.Next() };
        HttpRequestMessage Request() => new(HttpMethod.Post, "/v1/bindings") { Headers = { { "Idempotency-Key", key } }, Content = JsonContent.Create(body) };

        var first = client.SendAsync(Request());
        await WaitUntilAsync(async () => await fixture.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE order_id = '{orderId}' AND status = 'Pending'") == 1, "the first request never reached the provider");
        var second = await client.SendAsync(Request());

        Assert.False(first.IsCompleted, "the first request was answered before the repeat stopped waiting: nothing was tested");
        await AssertProblemAsync(second, HttpStatusCode.Conflict, "idempotency.in_progress");
        Assert.Equal(TimeSpan.FromSeconds(1), second.Headers.RetryAfter?.Delta);

        var created = await first;
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var replayed = await client.SendAsync(Request()); // the retry the 409 asked for gets the first response
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await created.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync());
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE order_id = '{orderId}'"));
    }

    // ---------- a release whose unbind fails

    [Theory]
    [InlineData("isp.SYSTEM_ERROR", "provider.unavailable", 5)]
    [InlineData("Throttling.User", "provider.throttled", 1)]
    public async Task AReleaseWhoseUnbindFails_Is503WithTheMappedCode_AndTheBindingStaysActive(string providerCode, string code, int retryAfterSeconds)
    {
        var url = $"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection";
        var protect = await fixture.Client.PutAsJsonAsync(url, new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, protect.StatusCode);
        var bindingId = (await protect.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString();
        var subsId = Assert.Single(await fixture.Simulator.BindingsAsync()).GetProperty("subsId").GetString();
        await SimulatorFaults.SetAsync(fixture.Simulator, new { actions = new[] { "UnbindSubscription" }, errorRates = new Dictionary<string, double> { [providerCode] = 1.0 } });

        var release = await fixture.Client.DeleteAsync(url);

        var problem = await AssertProblemAsync(release, HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal(TimeSpan.FromSeconds(retryAfterSeconds), release.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain(providerCode, problem.GetRawText(), StringComparison.Ordinal); // no provider text reaches the caller
        Assert.True((await SimulatorFaults.CountersAsync(fixture.Simulator, "UnbindSubscription")).Values.Sum() >= 1, "the unbind never reached the provider");
        Assert.Equal("active", (await fixture.Client.GetFromJsonAsync<JsonElement>(url)).GetProperty("status").GetString());
        Assert.Equal(subsId, Assert.Single(await fixture.Simulator.BindingsAsync()).GetProperty("subsId").GetString());
        Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE aggregate_id = '{bindingId}' AND message_type = 'BindingReleased'"));

        // The retry the 503 asked for, once the provider answers: released on both sides.
        await SimulatorFaults.ClearAsync(fixture.Simulator);
        var retried = await fixture.Client.DeleteAsync(url);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("released", (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Empty(await fixture.Simulator.BindingsAsync());
    }

    /// <summary>An instance whose binds the provider holds for <see cref="BindLatencyMs"/>, with 0.5 s waits for a Pending binding and a busy key.</summary>
    private async Task<WebApplicationFactory<CallerContext>> StartHeldAtTheProviderAsync()
    {
        var instance = Start(
            ("Protection:PendingWaitTimeout", "00:00:00.500"),
            ("Idempotency:WaitTimeout", "00:00:00.500"),
            ("Aliyun:Actions:BindAxb:Timeout", "00:00:12"));
        await SimulatorFaults.SetAsync(fixture.Simulator, new { actions = new[] { "BindAxb" }, latencyMs = BindLatencyMs });
        return instance;
    }

    private WebApplicationFactory<CallerContext> Start(params (string Key, string Value)[] settings) => Start(null, settings);

    private WebApplicationFactory<CallerContext> Start(Action<IServiceCollection>? configure, params (string Key, string Value)[] settings)
    {
        var factory = new BindingServiceFactory(fixture, settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        _hosts.Add(factory);
        if (configure is null)
        {
            return factory;
        }

        var configured = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(configure));
        _hosts.Add(configured);
        return configured;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Polls a state the service reaches by itself; 20 s covers a loaded 2-core machine.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 20 s: {what}");
            await Task.Delay(50); // pacing: a poll
        }
    }

    /// <summary>
    /// A test-only endpoint behind the service's whole pipeline (appended after it, so the exception handler wraps it)
    /// that runs <paramref name="fail"/>, which throws as a bug (or a broken domain rule) would.
    /// </summary>
    private sealed class ThrowingEndpoint(Action fail) : IStartupFilter
    {
        public const string Path = "/_test/bug";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(Path, branch => branch.Run(_ =>
            {
                fail();
                return Task.CompletedTask;
            }));
        };
    }
}
