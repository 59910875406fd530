using BindingService.Deployment.Tests.Support;

namespace BindingService.Deployment.Tests;

/// <summary>docker-compose.yml: the same stack as scripts/run.sh for machines with a Docker engine.</summary>
public sealed class ComposeTests
{
    private static readonly string[] Services = ["postgres", "rabbitmq", "simulator", "migrate", "api"];

    [Fact]
    public async Task Compose_file_is_valid_and_defines_the_whole_stack()
    {
        var config = await ComposeAsync("config");

        Assert.True(config.ExitCode == 0, "docker-compose config rejected docker-compose.yml: " + config.Describe());
        foreach (var service in Services)
        {
            Assert.Contains($"\n  {service}:\n", config.StandardOutput.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        var services = await ComposeAsync("config", "--services");
        Assert.True(services.ExitCode == 0, services.Describe());
        Assert.Equal(
            Services.Order(StringComparer.Ordinal),
            services.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Api_starts_after_the_migration_job_and_healthy_dependencies()
    {
        var config = await ComposeAsync("config");
        Assert.True(config.ExitCode == 0, config.Describe());
        var text = config.StandardOutput;

        Assert.Contains("condition: service_completed_successfully", text, StringComparison.Ordinal);
        Assert.Contains("condition: service_healthy", text, StringComparison.Ordinal);
        Assert.Contains("- migrate", text, StringComparison.Ordinal);
        Assert.Contains("dockerfile: src/Api/Dockerfile", text, StringComparison.Ordinal);
        Assert.Contains("dockerfile: src/AliyunSimulator/Dockerfile", text, StringComparison.Ordinal);
        Assert.Contains("image: postgres:15", text, StringComparison.Ordinal);
        Assert.Contains("image: rabbitmq:3.10-management", text, StringComparison.Ordinal);
        Assert.Contains("Aliyun__Endpoint: http://simulator:5180/", text, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:5080:8080", text, StringComparison.Ordinal);
    }

    private static async Task<ProcessResult> ComposeAsync(params string[] arguments)
    {
        var compose = Repository.PathOf("docker-compose.yml");
        Assert.True(File.Exists(compose), "docker-compose.yml is missing at the repository root");

        var result = await ProcessRunner.RunAsync(
            "docker-compose",
            ["-f", compose, .. arguments],
            TimeSpan.FromSeconds(120),
            environment: new Dictionary<string, string> { ["COMPOSE_INTERACTIVE_NO_CLI"] = "1" });

        return result ?? throw new Xunit.Sdk.XunitException(
            "docker-compose is not installed, so docker-compose.yml cannot be validated. " +
            "Install it with `apt-get install -y docker-compose` (scripts/test.sh does this before running the tests).");
    }
}
