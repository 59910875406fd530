using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace BindingService.Integration.Tests;

/// <summary>
/// Issue 5, graceful shutdown: SIGTERM stops taking requests, finishes the in-flight ones and the background batches
/// within the shutdown timeout, and exits 0; nothing the drained requests did is lost (bindings Active, their
/// BindingCreated events published exactly once, by this process or by the next one from the outbox).
/// </summary>
public sealed class GracefulShutdownTests(ServiceProcessEnvironment environment, ITestOutputHelper output) : IClassFixture<ServiceProcessEnvironment>
{
    private const int InFlight = 10;
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task Sigterm_FinishesInFlightProtects_RefusesNewOnes_AndExitsZeroWithinTheShutdownTimeout()
    {
        var settings = environment.Settings(new Dictionary<string, string?>
        {
            ["Hosting:ShutdownTimeout"] = ShutdownTimeout.ToString("c"),
        });
        var prefix = $"shutdown-{Guid.NewGuid():N}"[..20];
        await using var service = await ServiceProcess.StartAsync("graceful", settings);
        Assert.Equal(HttpStatusCode.Created, (await ProtectAsync(service.Client, $"{prefix}-warmup")).StatusCode);

        // The provider answers BindAxb after ~2 s: the requests are in flight, at the provider, when SIGTERM comes.
        await SetBindLatencyAsync(2000);
        try
        {
            var orders = Enumerable.Range(0, InFlight).Select(i => $"{prefix}-{i}").ToList();
            var requests = orders.Select(order => ProtectAsync(service.Client, order)).ToList();
            await WaitUntilAsync(
                async () => await environment.ScalarAsync<long>($"SELECT count(*) FROM bindings WHERE status = 'Pending' AND order_id LIKE '{prefix}-%'") == InFlight,
                TimeSpan.FromSeconds(30),
                $"the {InFlight} protects did not all reach the provider (Pending rows)");

            var stopwatch = Stopwatch.StartNew();
            service.SendSigterm();

            // Protects after SIGTERM, each on a new connection, one after the other until one is turned away. Until Kestrel
            // stops accepting (right after readiness fails: docs/operations.md, "Graceful shutdown") a protect is still
            // taken, and is then served in full like those in flight (201); from then on it is refused (or gets 503).
            // None may hang or fail otherwise. (Not numbered under the prefix: they are not the in-flight requests.)
            var lateOutcomes = new List<string>();
            string late;
            do
            {
                late = await LateRequestAsync(service.BaseAddress, $"late-{prefix}-{lateOutcomes.Count}");
                lateOutcomes.Add(late);
            }
            while (late == "201" && lateOutcomes.Count < 20);
            Assert.True(late is "refused" or "503", $"protects sent after SIGTERM must be served in full until the listener closes, then refused or 503: {string.Join(", ", lateOutcomes)}");

            var responses = await Task.WhenAll(requests);
            var exitCode = await service.WaitForExitAsync(ShutdownTimeout + TimeSpan.FromSeconds(20));
            var exitSeconds = stopwatch.Elapsed.TotalSeconds;
            var codes = responses.Select(r => (int)r.StatusCode).ToList();

            // What the drained requests did: Active bindings, each with its BindingCreated in the outbox.
            var rows = await environment.RowsAsync($"""
                SELECT b.id::text, b.status, (SELECT count(*) FROM outbox_messages m WHERE m.aggregate_id = b.id AND m.message_type = 'BindingCreated'),
                       (SELECT count(*) FROM outbox_messages m WHERE m.aggregate_id = b.id AND m.message_type = 'BindingCreated' AND m.sent_at IS NOT NULL)
                FROM bindings b WHERE b.order_id LIKE '{prefix}-%' AND b.order_id <> '{prefix}-warmup'
                """);
            var active = rows.Count(r => r[1] == "Active");
            var publishedBeforeExit = rows.Count(r => r[3] != "0");

            // Rows the stopped process did not publish are published by the next one (in Kubernetes: any other replica).
            await using var next = await ServiceProcess.StartAsync("after-shutdown", settings);
            var bindingIds = rows.Select(r => r[0]!).ToHashSet();
            // Everything either process published for these bindings, once the outbox is drained: a duplicate would be here.
            var created = await environment.Events.AllOnceQuietAsync(
                e => bindingIds.Contains(e.Get("bindingId") ?? string.Empty),
                atLeast: bindingIds.Count,
                timeout: TimeSpan.FromSeconds(30));
            var leaked = await service.CountPhoneNumbersInLogsAsync() + await next.CountPhoneNumbersInLogsAsync();

            output.WriteLine($"[shutdown] in_flight={InFlight} completed_201={codes.Count(c => c == 201)} late_requests={string.Join("/", lateOutcomes)} exit_code={exitCode} " +
                $"exit_seconds={exitSeconds:F1} db_active={active} published_before_exit={publishedBeforeExit} events={created.Count} " +
                $"distinct_message_ids={created.Select(e => e.MessageId).Distinct().Count()} phone_numbers_in_logs={leaked}");

            Assert.All(codes, code => Assert.Equal(201, code));
            Assert.Equal(0, exitCode);
            // The bound is the promise under test, the configured Hosting:ShutdownTimeout (past it an orchestrator kills the
            // pod), not a guess at speed: what is drained is one 2 s provider call per request, over 10× below it.
            Assert.True(exitSeconds < ShutdownTimeout.TotalSeconds, $"the process took {exitSeconds:F1} s to exit; the shutdown timeout is {ShutdownTimeout.TotalSeconds} s");
            Assert.Equal(InFlight, rows.Count);
            Assert.Equal(InFlight, active);
            Assert.All(rows, r => Assert.Equal("1", r[2])); // one BindingCreated outbox row per binding
            Assert.All(created, e => Assert.Equal("BindingCreated", e.MessageType));
            Assert.All(bindingIds, id => Assert.Single(created.Where(e => e.Get("bindingId") == id).Select(e => e.MessageId).Distinct()));
            Assert.Equal(0, leaked);
        }
        finally
        {
            await SetBindLatencyAsync(0);
        }
    }

    [Fact]
    public async Task Readiness_TurnsUnhealthy_AsSoonAsStoppingBegins()
    {
        // In process, so readiness can be asked after the stop began (a real Kestrel has stopped listening by then;
        // in Kubernetes the probe sees this only in the window before that, the preStop pause covers the rest).
        // The stop is held open until readiness has answered: once a stop completes, Program's RunAsync disposes the
        // host and its services, and a request still arriving in process then fails with a 500 (ObjectDisposedException)
        // — the race this test used to lose on a busy machine. It asks during the stop, which is what it is about.
        var holdStop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var factory = new SettingsFactory(environment.Settings(), services => services.AddHostedService(_ => new StopHold(holdStop.Task)));
        using var client = factory.CreateClient();
        await WaitUntilAsync(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the instance never became ready");

        try
        {
            factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

            using var response = await client.GetAsync("/health/ready");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("shutdown").GetString());
            Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("postgres").GetString());
        }
        finally
        {
            holdStop.TrySetResult();
        }
    }

    /// <summary>A hosted service whose stop waits for the test: the host stays "stopping" (not disposed) until then.</summary>
    private sealed class StopHold(Task released) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => released.WaitAsync(cancellationToken);
    }

    private static Task<HttpResponseMessage> ProtectAsync(HttpClient client, string orderId) =>
        client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() });

    /// <summary>"refused" (connection refused or closed), "503", another status code, or "timeout".</summary>
    private static async Task<string> LateRequestAsync(Uri baseAddress, string orderId)
    {
        // A new connection. The timeout tells a hang: a protect taken now waits ~2 s for the provider, 5× less.
        using var client = TestTokens.Authorize(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) });
        try
        {
            using var response = await ProtectAsync(client, orderId);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return "refused";
        }
        catch (TaskCanceledException)
        {
            return "timeout";
        }
    }

    private async Task SetBindLatencyAsync(int milliseconds)
    {
        using var response = milliseconds == 0
            ? await environment.Simulator.Control.DeleteAsync("_sim/faults")
            : await environment.Simulator.Control.PutAsJsonAsync("_sim/faults", new { faults = new { actions = new[] { "BindAxb" }, latencyMs = milliseconds } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s: {what}.");
            }

            await Task.Delay(100); // pacing: polls the condition
        }
    }

    /// <summary>The real Program in process, with the given settings.</summary>
    private sealed class SettingsFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
        : TokenServiceFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            if (services is not null)
            {
                builder.ConfigureServices(services);
            }

            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
