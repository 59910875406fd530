using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;
using Npgsql;

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

    private async Task<HttpResponseMessage> WaitForReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await fixture.Client.GetAsync("/health/ready");
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(250);
        }
    }
}
