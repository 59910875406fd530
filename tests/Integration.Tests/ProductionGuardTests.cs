using System.Net;
using System.Text.Json;
using BindingService.Api.Infrastructure;
using BindingService.Integration.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace BindingService.Integration.Tests;

/// <summary>
/// Outside Development the service refuses to start with development settings, naming each (docs/security.md,
/// "Production guards"); and the OpenAPI document and API reference are off in Production unless enabled.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ProductionGuardTests(ServiceFixture fixture)
{
    public static TheoryData<string, string, string> DevelopmentSettings() => new()
    {
        { "RabbitMq:Username", "guest", "RabbitMq:Username" },
        { "Aliyun:Endpoint", "http://dyplsapi.example.com/", "Aliyun:Endpoint" },
        { "Aliyun:Dytnsapi:Endpoint", "http://dytnsapi.example.com/", "Aliyun:Dytnsapi:Endpoint" },
        { "Aliyun:AccessKeyId", "simulator-access-key", "Aliyun:AccessKeyId" },
        { "Authentication:Issuer", "bindingservice-dev", "Authentication:Issuer" },
    };

    [Theory]
    [MemberData(nameof(DevelopmentSettings))]
    public void EachDevelopmentSetting_IsRefused_Naming_ItsSetting(string key, string value, string named)
    {
        var problems = ProductionGuards.Check(Configuration(ProductionLike().With(new Dictionary<string, string?> { [key] = value })));

        var problem = Assert.Single(problems);
        Assert.StartsWith(named, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ProductionSettings_PassTheGuards_LoopbackHttpIncluded()
    {
        Assert.Empty(ProductionGuards.Check(Configuration(ProductionLike())));
        Assert.Empty(ProductionGuards.Check(Configuration(ProductionLike().With(new Dictionary<string, string?> { ["Aliyun:Endpoint"] = "http://127.0.0.1:5180/" }))));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task TheServiceRefusesToStart_OutsideDevelopment_WithTheTestSuitesDevelopmentSettings(string environment)
    {
        // The suite's settings use the broker's guest account and the simulator's access key.
        await using var factory = new BindingServiceFactory(fixture).WithWebHostBuilder(b => b.UseEnvironment(environment));

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var message = failure.ToString();
        Assert.Contains("Refusing to start", message, StringComparison.Ordinal);
        Assert.Contains("RabbitMq:Username", message, StringComparison.Ordinal);
        Assert.Contains("Aliyun:AccessKeyId", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InProduction_TheApiDocumentIsOff_UnlessEnabled()
    {
        var production = new Dictionary<string, string?>
        {
            ["RabbitMq:Username"] = "bindingservice-it",
            ["RabbitMq:Password"] = "unused-in-this-test",
            ["Aliyun:AccessKeyId"] = "LTAI-test-key",
            ["Security:PhoneEncryptionKey"] = ServiceFixture.EncryptionKey,
        };
        await using var off = new BindingServiceFactory(fixture, production).WithWebHostBuilder(b => b.UseEnvironment("Production"));
        await using var on = new BindingServiceFactory(fixture, new Dictionary<string, string?>(production) { ["Hosting:ExposeApiReference"] = "true" })
            .WithWebHostBuilder(b => b.UseEnvironment("Production"));

        Assert.Equal(HttpStatusCode.NotFound, (await off.CreateClient().GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await off.CreateClient().GetAsync("/scalar/v1")).StatusCode);
        var served = await on.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.True(JsonSerializer.Deserialize<JsonElement>(await served.Content.ReadAsStringAsync()).TryGetProperty("paths", out _));
    }

    private static Dictionary<string, string?> ProductionLike() => new()
    {
        ["RabbitMq:Username"] = "bindingservice",
        ["RabbitMq:Password"] = "s3cret-from-a-secret",
        ["Aliyun:Endpoint"] = "https://dyplsapi.aliyuncs.com/",
        ["Aliyun:Dytnsapi:Endpoint"] = "https://dytnsapi.aliyuncs.com/",
        ["Aliyun:AccessKeyId"] = "LTAI5tExampleKeyId",
        ["Authentication:Issuer"] = "https://kubernetes.default.svc.cluster.local",
    };

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
