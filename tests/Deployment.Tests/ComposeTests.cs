using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BindingService.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace BindingService.Deployment.Tests;

/// <summary>
/// docker-compose.yml: the same stack as scripts/run.sh for machines with a Docker engine. There is
/// no engine here, so nothing is started; `docker-compose config` (which needs none) validates the
/// file and resolves it (anchors, merges, defaults), and the tests read its output as objects. The
/// health checks are shell commands: those are run for real against a stand-in HTTP server.
/// </summary>
public sealed partial class ComposeTests
{
    private static readonly string[] Services = ["postgres", "rabbitmq", "simulator", "migrate", "token", "api"];

    [Fact]
    public async Task Compose_file_is_valid_and_defines_the_whole_stack()
    {
        var config = await ConfigAsync();

        Assert.Equal(Services.Order(StringComparer.Ordinal), config.Map("services").Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "auth-keys", "postgres-data", "rabbitmq-data" }, config.Map("volumes").Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal("postgres:15", config.Str("services.postgres.image"));
        Assert.Equal("rabbitmq:3.10-management", config.Str("services.rabbitmq.image"));
        Assert.Equal("postgres-data:/var/lib/postgresql/data:rw", config.Strings("services.postgres.volumes").Single());
        Assert.Equal("rabbitmq-data:/var/lib/rabbitmq:rw", config.Strings("services.rabbitmq.volumes").Single());

        foreach (var (service, dockerfile) in new[] { ("simulator", "src/AliyunSimulator/Dockerfile"), ("migrate", "src/Api/Dockerfile"), ("api", "src/Api/Dockerfile") })
        {
            Assert.Equal(Repository.Root, config.Str($"services.{service}.build.context"));
            Assert.Equal(dockerfile, config.Str($"services.{service}.build.dockerfile"));
            Assert.True(File.Exists(Repository.PathOf(dockerfile.Split('/'))), $"{service} builds from {dockerfile}, which does not exist");
        }
    }

    [Fact]
    public async Task Api_starts_after_the_migration_job_and_healthy_dependencies()
    {
        var services = (await ConfigAsync()).Map("services");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["migrate"] = "service_completed_successfully",
                ["postgres"] = "service_healthy",
                ["rabbitmq"] = "service_healthy",
                ["simulator"] = "service_healthy",
                ["token"] = "service_completed_successfully",
            },
            DependsOn(services, "api"));
        Assert.Equal(new Dictionary<string, string> { ["postgres"] = "service_healthy" }, DependsOn(services, "migrate"));

        // Waiting for "healthy" needs a health check on the service waited for.
        foreach (var service in new[] { "postgres", "rabbitmq", "simulator" })
        {
            Assert.True(services.Has($"{service}.healthcheck.test"), $"{service} has no healthcheck, so service_healthy never comes");
        }

        Assert.Equal(new[] { "migrate" }, services.Strings("migrate.command"));
        Assert.Equal("no", services.Str("migrate.restart")); // a one-shot job: a restart would loop
        Assert.Equal("unless-stopped", services.Str("api.restart"));
    }

    [Fact]
    public async Task Api_trusts_the_development_key_the_token_job_makes_in_the_shared_volume()
    {
        var services = (await ConfigAsync()).Map("services");
        var api = services.StringMap("api.environment");

        Assert.Equal(new[] { "dev-token", "--keys", "/auth", "--caller", "dev" }, services.Strings("token.command"));
        Assert.Equal(services.Str("api.image"), services.Str("token.image"));
        Assert.Equal("auth-keys:/auth:rw", services.Strings("token.volumes").Single());
        Assert.Equal("auth-keys:/auth:ro", services.Strings("api.volumes").Single());
        Assert.Equal("/auth/jwks.json", api["Authentication__SigningKeysFile"]);
        Assert.Equal("bindingservice-dev", api["Authentication__Issuer"]);
        // The development settings of this stack (guest, the simulator, the development issuer) start only in Development.
        Assert.Equal("Development", api["ASPNETCORE_ENVIRONMENT"]);
    }

    [Fact]
    public async Task Api_and_migration_share_the_image_and_settings_that_point_at_the_compose_services()
    {
        var services = (await ConfigAsync()).Map("services");
        var api = services.StringMap("api.environment");
        var migrate = services.StringMap("migrate.environment");

        Assert.Equal(services.Str("api.image"), services.Str("migrate.image"));
        Assert.Equal(
            api.Where(pair => pair.Key != "ASPNETCORE_HTTP_PORTS").OrderBy(pair => pair.Key, StringComparer.Ordinal),
            migrate.OrderBy(pair => pair.Key, StringComparer.Ordinal));
        Assert.Equal("false", api["Database__MigrateOnStartup"]); // the migrate service migrates

        var postgres = services.StringMap("postgres.environment");
        var connection = api["ConnectionStrings__Postgres"].Split(';').Select(part => part.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        Assert.Equal("postgres", connection["Host"]);
        Assert.Equal("5432", connection["Port"]);
        Assert.Equal(postgres["POSTGRES_DB"], connection["Database"]);
        Assert.Equal(postgres["POSTGRES_USER"], connection["Username"]);
        Assert.Equal(postgres["POSTGRES_PASSWORD"], connection["Password"]);

        Assert.Equal("rabbitmq", api["RabbitMq__Host"]);
        Assert.Equal("5672", api["RabbitMq__Port"]);
        var simulatorPort = services.Str("simulator.environment.ASPNETCORE_HTTP_PORTS");
        Assert.Equal($"http://simulator:{simulatorPort}/", api["Aliyun__Endpoint"]);
        Assert.Equal($"http://simulator:{simulatorPort}/", api["Aliyun__Dytnsapi__Endpoint"]);
    }

    [Fact]
    public async Task Ports_are_published_on_loopback_at_the_ports_run_sh_uses()
    {
        var services = (await ConfigAsync()).Map("services");
        var published = new List<(string Service, int Host, int Container)>();
        foreach (var service in Services.Where(service => services.Has($"{service}.ports")))
        {
            foreach (var port in services.Strings($"{service}.ports"))
            {
                var match = PortPattern().Match(port);
                Assert.True(match.Success, $"{service} publishes '{port}' on other addresses than 127.0.0.1");
                published.Add((service, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)));
            }
        }

        // The local servers' defaults, read from the script library itself.
        var defaults = await LocalServerDefaultsAsync();
        var apiPort = int.Parse(services.Str("api.environment.ASPNETCORE_HTTP_PORTS"), CultureInfo.InvariantCulture);
        var simulatorPort = int.Parse(services.Str("simulator.environment.ASPNETCORE_HTTP_PORTS"), CultureInfo.InvariantCulture);
        Assert.Equal(
            new[]
            {
                ("api", 5080, apiPort),
                ("postgres", int.Parse(defaults["BS_PG_PORT"], CultureInfo.InvariantCulture), 5432),
                ("rabbitmq", 15672, 15672), // the management UI
                ("rabbitmq", int.Parse(defaults["BS_RABBIT_PORT"], CultureInfo.InvariantCulture), 5672),
                ("simulator", 5180, simulatorPort),
            },
            published.Order());
    }

    [Fact]
    public async Task Api_gets_longer_to_stop_than_its_own_shutdown_timeout()
    {
        var services = (await ConfigAsync()).Map("services");
        var grace = services.Str("api.stop_grace_period");
        Assert.Matches("^[0-9]+s$", grace);

        using var appsettings = JsonDocument.Parse(
            Repository.Read("src", "Api", "appsettings.json"),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var shutdown = TimeSpan.Parse(appsettings.RootElement.GetProperty("Hosting").GetProperty("ShutdownTimeout").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(int.Parse(grace[..^1], CultureInfo.InvariantCulture) > shutdown.TotalSeconds, $"stop_grace_period {grace} does not exceed the API's shutdown timeout {shutdown}");
    }

    [Theory]
    [InlineData("api", 200, true)]
    [InlineData("api", 503, false)]
    [InlineData("api", null, false)]
    [InlineData("simulator", 200, true)]
    [InlineData("simulator", 404, true)] // any HTTP answer: an unsigned request gets a 4xx
    [InlineData("simulator", null, false)]
    public async Task Health_check_command_passes_only_when_the_service_answers(string service, int? status, bool healthy)
    {
        var services = (await ConfigAsync()).Map("services");
        var test = services.Strings($"{service}.healthcheck.test");
        Assert.Equal("CMD", test[0]);
        var containerPort = services.Str($"{service}.environment.ASPNETCORE_HTTP_PORTS");
        var target = $"/dev/tcp/127.0.0.1/{containerPort}";
        Assert.True(test.Any(a => a.Contains(target, StringComparison.Ordinal)), $"{service}'s health check does not probe its own port {containerPort}: {string.Join(' ', test)}");

        // The same command, pointed at a stand-in server on a free port (or at nothing).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task server = Task.CompletedTask;
        if (status is { } code)
        {
            server = AnswerOnceAsync(listener, code);
        }
        else
        {
            listener.Stop(); // nothing listens on the port
        }

        var command = test.Skip(1).Select(a => a.Replace(target, $"/dev/tcp/127.0.0.1/{port}", StringComparison.Ordinal)).ToList();
        var result = await ProcessRunner.RunAsync(command[0], command.Skip(1), TimeSpan.FromSeconds(30));
        Assert.NotNull(result);
        Assert.True((result.ExitCode == 0) == healthy, $"{service} health check against {(status?.ToString(CultureInfo.InvariantCulture) ?? "no server")}: {result.Describe()}");
        await server.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task AnswerOnceAsync(TcpListener listener, int status)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await using var stream = client.GetStream();
        var buffer = new byte[4096];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var response = $"HTTP/1.1 {status} Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        listener.Stop();
    }

    private static Dictionary<string, string> DependsOn(YamlMappingNode services, string service) =>
        services.Map($"{service}.depends_on").Children.ToDictionary(
            pair => pair.Key.ToString(),
            pair => pair.Value.Str("condition"),
            StringComparer.Ordinal);

    private static readonly Lazy<Task<YamlMappingNode>> Config = new(LoadConfigAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>`docker-compose config` (run once; it takes a second or two): validated, resolved, parsed.</summary>
    private static Task<YamlMappingNode> ConfigAsync() => Config.Value;

    private static async Task<YamlMappingNode> LoadConfigAsync()
    {
        var compose = Repository.PathOf("docker-compose.yml");
        Assert.True(File.Exists(compose), "docker-compose.yml is missing at the repository root");

        var result = await ProcessRunner.RunAsync(
            "docker-compose",
            ["-f", compose, "config"],
            TimeSpan.FromSeconds(120),
            environment: new Dictionary<string, string> { ["COMPOSE_INTERACTIVE_NO_CLI"] = "1" })
            ?? throw new Xunit.Sdk.XunitException(
                "docker-compose is not installed, so docker-compose.yml cannot be validated. " +
                "Install it with `apt-get install -y docker-compose` (scripts/test.sh does this before running the tests).");

        Assert.True(result.ExitCode == 0, "docker-compose config rejected docker-compose.yml: " + result.Describe());
        return Yaml.LoadMapping(result.StandardOutput, "docker-compose config");
    }

    internal static async Task<Dictionary<string, string>> LocalServerDefaultsAsync()
    {
        var result = await ProcessRunner.RunAsync(
            "bash",
            ["-c", "unset ${!BINDINGSERVICE_@}; source \"$1\" && printf '%s=%s\\n' BS_PG_PORT \"$BS_PG_PORT\" BS_RABBIT_PORT \"$BS_RABBIT_PORT\"", "bash", Repository.PathOf("scripts", "lib", "local-servers.sh")],
            TimeSpan.FromSeconds(30));
        Assert.NotNull(result);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^127\.0\.0\.1:([0-9]+):([0-9]+)(/tcp)?$")]
    private static partial Regex PortPattern();
}
