using System.Net;
using System.Net.Http.Json;
using BindingService.Api.Infrastructure;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace BindingService.Integration.Tests;

/// <summary>
/// Secrets mounted as files (docs/security.md, "In the cluster"): each file in BINDINGSERVICE_SECRETS_DIR is one
/// setting and overrides every other source; Database:Password completes the connection string.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class SecretFilesTests(ServiceFixture fixture) : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bs-secrets-").FullName;

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ASecretFile_OverridesTheSetting_TheServiceSignsWithTheFilesSecret()
    {
        // The environment's Aliyun secret is wrong; the file holds the right one (the simulator checks every signature).
        await File.WriteAllTextAsync(Path.Combine(_directory, "Aliyun__AccessKeySecret"), SimulatorHost.AccessKeySecret + "\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "..data"), "kubernetes bookkeeping, ignored");
        await using var instance = new BindingServiceFactory(fixture, new Dictionary<string, string?>
        {
            ["Aliyun:AccessKeySecret"] = "not-the-secret",
            [SecretFiles.DirectoryVariable] = _directory,
        });
        using var client = instance.CreateClient();

        var response = await client.PutAsJsonAsync($"/v1/ride-orders/ride-{Guid.NewGuid():N}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Single(await fixture.Simulator.BindingsAsync());
    }

    [Fact]
    public async Task TheDatabasePasswordFile_CompletesTheConnectionString()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "Database__Password"), "s3cret;with=odd chars\n");
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SecretFiles.DirectoryVariable] = _directory,
            ["ConnectionStrings:Postgres"] = "Host=db.internal;Port=5432;Database=bindingservice;Username=bindingservice;Maximum Pool Size=50",
        });

        configuration.AddSecretFiles();

        var built = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Postgres"));
        Assert.Equal("s3cret;with=odd chars", built.Password);
        Assert.Equal("db.internal", built.Host);
        Assert.Equal(50, built.MaxPoolSize);
        Assert.Null(configuration["..data"]);
    }

    [Fact]
    public void AMissingDirectory_StopsTheStart_NamingIt()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { [SecretFiles.DirectoryVariable] = "/nonexistent/secrets" });

        var error = Assert.Throws<InvalidOperationException>(() => configuration.AddSecretFiles());
        Assert.Contains("/nonexistent/secrets", error.Message, StringComparison.Ordinal);
    }
}
