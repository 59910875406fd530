using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;
using Npgsql;
using RabbitMQ.Client;

namespace BindingService.Integration.Tests;

[Collection(ServiceCollection.Name)]
public sealed class HostingTests(ServiceFixture fixture)
{
    [Fact]
    public async Task Readiness_ReportsPostgresAndRabbitMqHealthy()
    {
        var ready = await WaitForReadyAsync();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("postgres").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("rabbitmq").GetString());
    }

    [Fact]
    public async Task Liveness_IsOk()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheRideOrderEndpoints()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var path = document.GetProperty("paths").GetProperty("/v1/ride-orders/{orderId}/protection");
        Assert.Equal("ProtectRideOrder", path.GetProperty("put").GetProperty("operationId").GetString());
        Assert.True(path.TryGetProperty("get", out _));
        Assert.True(path.TryGetProperty("delete", out _));
    }

    [Fact]
    public async Task Responses_CarryARequestId_AndProblemsEchoIt()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/ride-orders/unknown-order/protection");
        request.Headers.Add("X-Request-Id", "it-request-42");

        var response = await fixture.Client.SendAsync(request);

        Assert.Equal("it-request-42", response.Headers.GetValues("X-Request-Id").Single());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("it-request-42", problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task MigrateCommand_CreatesTheSchemaInAnEmptyDatabase_AndExits()
    {
        var database = $"bs_migrate_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(fixture.Servers.PostgresAdminConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin).ExecuteNonQueryAsync();
        }

        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(fixture.Servers.PostgresAdminConnectionString) { Database = database }.ConnectionString;
            var apiDll = typeof(BindingService.Api.Infrastructure.CallerContext).Assembly.Location;
            var start = new ProcessStartInfo("dotnet", [apiDll, "migrate"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetDirectoryName(apiDll)!,
            };
            foreach (var (key, value) in fixture.Settings())
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            start.Environment["ConnectionStrings__Postgres"] = connectionString;
            start.Environment["Logging__JsonFilePath"] = string.Empty;
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing"; // the suite's settings are development ones (ProductionGuards)
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            Assert.True(process.ExitCode == 0, $"migrate exited {process.ExitCode}: {await output} {await errors}");
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var tables = await new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('bindings', 'outbox_messages')", connection).ExecuteScalarAsync();
            Assert.Equal(2L, tables);
        }
        finally
        {
            await using var admin = new NpgsqlConnection(fixture.Servers.PostgresAdminConnectionString);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task OpenApiDocument_GivesEveryApiOperationASummaryAndAnExampleForEveryBodyAndResponse()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var missing = new List<string>();
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/v1/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "put" or "post" or "patch" or "delete"))
            {
                operations++;
                var id = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (!operation.Value.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
                {
                    missing.Add($"{id}: summary");
                }

                if (operation.Value.TryGetProperty("requestBody", out var body) && !HasExample(body))
                {
                    missing.Add($"{id}: request example");
                }

                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    if (response.Value.TryGetProperty("content", out _) && !HasExample(response.Value))
                    {
                        missing.Add($"{id}: example for {response.Name}");
                    }
                }
            }
        }

        Assert.True(operations >= 20, $"expected the whole API, found {operations} operations");
        Assert.True(missing.Count == 0, "missing:\n" + string.Join("\n", missing));

        static bool HasExample(JsonElement bodyOrResponse) =>
            bodyOrResponse.TryGetProperty("content", out var content)
            && content.EnumerateObject().All(media =>
                media.Value.TryGetProperty("example", out _)
                || (media.Value.TryGetProperty("examples", out var examples) && examples.EnumerateObject().Any()));
    }

    [Fact]
    public async Task EventExchanges_AreDeclaredWhenTheServiceStarts_BeforeAnyEventIsPublished()
    {
        // BindingExpired is one of the events, and deleting its exchange leaves the broker as a new one would be for it.
        const string expired = "BindingService.Contracts:BindingExpired";
        var factory = new ConnectionFactory { Uri = fixture.Servers.RabbitMqUri, ClientProvidedName = "integration-tests-topology" };
        await using var connection = await factory.CreateConnectionAsync();
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.ExchangeDeleteAsync(expired);
        }

        // A second instance of the service starts its bus: it must declare the exchange, and its binding to the
        // all-events exchange, without publishing anything.
        await using var instance = new BindingServiceFactory(fixture);
        using var client = instance.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await WaitForReadyAsync(client)).StatusCode);

        await using var check = await connection.CreateChannelAsync();
        await check.ExchangeDeclarePassiveAsync(expired); // throws (404 NOT_FOUND) when the exchange does not exist
        var queue = await check.QueueDeclareAsync(queue: string.Empty, durable: false, exclusive: true, autoDelete: true);
        await check.QueueBindAsync(queue.QueueName, EventListener.AllBindingEventsExchange, routingKey: string.Empty);
        var probe = new BasicProperties { MessageId = Guid.NewGuid().ToString() };
        // A well-formed envelope of a type no test waits for, since the fixture's listener also receives it.
        var envelope = $$$"""{"messageId":"{{{probe.MessageId}}}","messageType":["urn:message:BindingService.Tests:TopologyProbe"],"message":{}}""";
        await check.BasicPublishAsync(expired, string.Empty, mandatory: false, probe, System.Text.Encoding.UTF8.GetBytes(envelope));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        BasicGetResult? routed = null;
        while (routed is null && DateTime.UtcNow < deadline)
        {
            routed = await check.BasicGetAsync(queue.QueueName, autoAck: true);
            if (routed is null)
            {
                await Task.Delay(100); // pacing: polls the queue
            }
        }

        Assert.NotNull(routed);
        Assert.Equal(probe.MessageId, routed.BasicProperties.MessageId);
    }

    private Task<HttpResponseMessage> WaitForReadyAsync() => WaitForReadyAsync(fixture.Client);

    private static async Task<HttpResponseMessage> WaitForReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(250); // pacing: polls readiness
        }
    }
}
