using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BindingService.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace BindingService.Deployment.Tests;

/// <summary>
/// The chart rendered by a real Helm 4 (helm lint, helm template, helm install --dry-run=client) and
/// the rendered objects read with YamlDotNet. kubectl cannot check them further here: both
/// `kubectl apply --dry-run=client` and `kubectl create --dry-run=client -f -` ask an API server for
/// its resource list (even with --validate=false) and there is no cluster, so the objects' shape is
/// checked by these assertions instead.
/// </summary>
public sealed partial class HelmTemplateTests(HelmFixture fixture) : IClassFixture<HelmFixture>
{
    private const string FullName = "rel-bindingservice";
    private const string GraceMessage = "terminationGracePeriodSeconds must exceed preStopSleepSeconds + shutdownTimeoutSeconds";

    private HelmTool Helm => fixture.Tool;

    [Fact]
    public async Task Tools_are_the_pinned_Helm_4_and_kubectl_1_35()
    {
        var helm = await Helm.RunAsync("version", "--short");
        Assert.True(helm.ExitCode == 0, helm.Describe());
        Assert.StartsWith("v4.1.4", helm.StandardOutput.Trim(), StringComparison.Ordinal);

        var kubectl = await Helm.RunKubectlAsync("version", "--client");
        Assert.True(kubectl.ExitCode == 0, kubectl.Describe());
        Assert.Contains("Client Version: v1.35.", kubectl.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chart_passes_helm_lint_strict()
    {
        var result = await Helm.RunAsync(["lint", HelmTool.ChartPath, "--strict", "--kube-version", "1.35.0", .. HelmTool.SecretArguments()]);

        Assert.True(result.ExitCode == 0, "helm lint --strict: " + result.Describe());
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("[WARNING]", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERROR]", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_values_render_the_release_objects_with_valid_names_and_labels()
    {
        var rendered = await Helm.TemplateAsync();

        Assert.Equal(
            new[] { "ConfigMap", "Deployment", "Job", "NetworkPolicy", "PodDisruptionBudget", "Secret", "Service", "ServiceAccount" },
            rendered.Kinds.Order(StringComparer.Ordinal));
        Assert.Null(rendered.Find("HorizontalPodAutoscaler"));

        foreach (var item in rendered.Objects)
        {
            var kind = item.Str("kind");
            var name = item.Str("metadata.name");
            Assert.Equal(kind == "Job" ? FullName + "-migrate" : FullName, name);
            Assert.Matches(Dns1035Label(), name); // the strictest rule (Service names)
            Assert.True(name.Length <= 63, $"{kind} name '{name}' is longer than 63 characters");

            var labels = item.StringMap("metadata.labels");
            Assert.Equal("bindingservice", labels["app.kubernetes.io/name"]);
            Assert.Equal(HelmTool.Release, labels["app.kubernetes.io/instance"]);
            Assert.Equal("Helm", labels["app.kubernetes.io/managed-by"]);
            Assert.Equal("0.1.0", labels["app.kubernetes.io/version"]);
            Assert.Equal("bindingservice-0.1.0", labels["helm.sh/chart"]);
            foreach (var (key, value) in labels)
            {
                Assert.True(LabelValue().IsMatch(value) && value.Length <= 63, $"{kind}: label {key}='{value}' is not a valid label value");
            }
        }
    }

    [Fact]
    public async Task Default_values_alone_do_not_render_because_the_secrets_have_no_defaults()
    {
        var error = await Helm.TemplateFailureAsync([], withSecrets: false);

        Assert.Contains("secrets.aliyunAccessKeySecret is required", error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Secrets => new()
    {
        { "aliyunAccessKeySecret", "secrets.aliyunAccessKeySecret is required" },
        { "phoneEncryptionKey", "secrets.phoneEncryptionKey is required (openssl rand -base64 32)" },
        { "phoneHashKey", "secrets.phoneHashKey is required (openssl rand -base64 32)" },
        { "postgresPassword", "secrets.postgresPassword is required" },
        { "rabbitmqPassword", "secrets.rabbitmqPassword is required" },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public async Task A_missing_secret_fails_the_release_with_its_message(string secret, string message)
    {
        var error = await Helm.TemplateFailureAsync(HelmTool.SecretArguments(except: secret), withSecrets: false);

        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deployment_rolls_out_its_replicas_without_losing_capacity_and_spreads_them()
    {
        var deployment = (await Helm.TemplateAsync()).Deployment;

        Assert.Equal("apps/v1", deployment.Str("apiVersion"));
        Assert.Equal(3, deployment.Int("spec.replicas"));
        Assert.Equal("RollingUpdate", deployment.Str("spec.strategy.type"));
        Assert.Equal(0, deployment.Int("spec.strategy.rollingUpdate.maxUnavailable"));
        Assert.Equal(1, deployment.Int("spec.strategy.rollingUpdate.maxSurge"));

        var selector = deployment.StringMap("spec.selector.matchLabels");
        var podLabels = deployment.StringMap("spec.template.metadata.labels");
        Assert.Equal("api", selector["app.kubernetes.io/component"]);
        AssertSelects(selector, podLabels, "the Deployment's selector");

        var spread = deployment.Seq("spec.template.spec.topologySpreadConstraints").Single();
        Assert.Equal(1, spread.Int("maxSkew"));
        Assert.Equal("kubernetes.io/hostname", spread.Str("topologyKey"));
        Assert.Equal("ScheduleAnyway", spread.Str("whenUnsatisfiable"));
        Assert.Equal(selector, spread.StringMap("labelSelector.matchLabels"));
    }

    [Fact]
    public async Task Probes_check_the_health_endpoints_on_the_port_Kestrel_listens_on()
    {
        var rendered = await Helm.TemplateAsync();
        var api = rendered.ApiContainer;

        var port = api.Seq("ports").Single();
        Assert.Equal("http", port.Str("name"));
        Assert.Equal("TCP", port.Str("protocol"));
        Assert.Equal(port.Int("containerPort").ToString(CultureInfo.InvariantCulture), rendered.Get("ConfigMap").Str("data.ASPNETCORE_HTTP_PORTS"));
        Assert.Equal(8080, port.Int("containerPort"));

        foreach (var (probe, path) in new[] { ("startupProbe", "/health/live"), ("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready") })
        {
            Assert.Equal(path, api.Str($"{probe}.httpGet.path"));
            Assert.Equal("http", api.Str($"{probe}.httpGet.port"));
            Assert.True(api.Int($"{probe}.periodSeconds") > 0);
            Assert.True(api.Int($"{probe}.timeoutSeconds") > 0);
            Assert.True(api.Int($"{probe}.failureThreshold") > 0);
        }

        // The start-up probe gives a slow start (migrations are a separate job) two minutes before liveness counts.
        Assert.Equal(120, api.Int("startupProbe.periodSeconds") * api.Int("startupProbe.failureThreshold"));
        Assert.True(api.Int("readinessProbe.periodSeconds") <= api.Int("livenessProbe.periodSeconds"));

        // The Service sends its port to that named container port, on the API pods only.
        var service = rendered.Get("Service");
        Assert.Equal("ClusterIP", service.Str("spec.type"));
        var servicePort = service.Seq("spec.ports").Single();
        Assert.Equal(80, servicePort.Int("port"));
        Assert.Equal("http", servicePort.Str("targetPort"));
        AssertSelects(service.StringMap("spec.selector"), rendered.Deployment.StringMap("spec.template.metadata.labels"), "the Service");
    }

    [Fact]
    public async Task Pods_run_as_a_non_root_user_with_a_read_only_root_and_no_privileges()
    {
        var rendered = await Helm.TemplateAsync();

        foreach (var (pod, container) in new[]
        {
            (rendered.Deployment.Map("spec.template.spec"), rendered.ApiContainer),
            (rendered.Get("Job").Map("spec.template.spec"), (YamlMappingNode)rendered.Get("Job").At("spec.template.spec.containers[name=migrate]")),
        })
        {
            Assert.True(pod.Bool("securityContext.runAsNonRoot"));
            Assert.Equal(1654, pod.Int("securityContext.runAsUser")); // the aspnet image's 'app' user
            Assert.Equal(1654, pod.Int("securityContext.runAsGroup"));
            Assert.Equal(1654, pod.Int("securityContext.fsGroup"));
            Assert.Equal("RuntimeDefault", pod.Str("securityContext.seccompProfile.type"));
            Assert.False(pod.Bool("automountServiceAccountToken"));

            Assert.False(container.Bool("securityContext.allowPrivilegeEscalation"));
            Assert.True(container.Bool("securityContext.readOnlyRootFilesystem"));
            Assert.Equal(new[] { "ALL" }, container.Strings("securityContext.capabilities.drop"));

            // With a read-only root, /tmp must be a writable volume.
            Assert.Equal("tmp", container.Str("volumeMounts[name=tmp].name"));
            Assert.Equal("/tmp", container.Str("volumeMounts[name=tmp].mountPath"));
            Assert.Equal("64Mi", pod.Str("volumes[name=tmp].emptyDir.sizeLimit"));
        }

        var serviceAccount = rendered.Get("ServiceAccount");
        Assert.Equal(serviceAccount.Str("metadata.name"), rendered.Deployment.Str("spec.template.spec.serviceAccountName"));
        Assert.False(serviceAccount.Bool("automountServiceAccountToken"));
    }

    [Fact]
    public async Task Containers_request_resources_and_limit_memory()
    {
        var rendered = await Helm.TemplateAsync();
        var job = (YamlMappingNode)rendered.Get("Job").At("spec.template.spec.containers[name=migrate]");

        Assert.Equal("250m", rendered.ApiContainer.Str("resources.requests.cpu"));
        Assert.Equal("256Mi", rendered.ApiContainer.Str("resources.requests.memory"));
        Assert.Equal("512Mi", rendered.ApiContainer.Str("resources.limits.memory"));
        Assert.False(rendered.ApiContainer.Has("resources.limits.cpu"), "a CPU limit throttles the API under load; requests only");
        Assert.Equal("100m", job.Str("resources.requests.cpu"));
        Assert.Equal("256Mi", job.Str("resources.requests.memory"));
        Assert.Equal("512Mi", job.Str("resources.limits.memory"));

        var custom = await Helm.TemplateAsync("--set", "resources.requests.cpu=1", "--set", "resources.limits.memory=1Gi");
        Assert.Equal("1", custom.ApiContainer.Str("resources.requests.cpu"));
        Assert.Equal("1Gi", custom.ApiContainer.Str("resources.limits.memory"));
    }

    [Fact]
    public async Task Grace_period_covers_the_preStop_pause_and_the_apps_shutdown_timeout()
    {
        var rendered = await Helm.TemplateAsync();
        var pod = rendered.Deployment.Map("spec.template.spec");

        var grace = pod.Int("terminationGracePeriodSeconds");
        var preStop = rendered.ApiContainer.Strings("lifecycle.preStop.exec.command");
        Assert.Equal("sleep", preStop[0]);
        var pause = int.Parse(Assert.Single(preStop.Skip(1)), CultureInfo.InvariantCulture);
        var shutdown = TimeSpan.Parse(rendered.Get("ConfigMap").Str("data.Hosting__ShutdownTimeout"), CultureInfo.InvariantCulture);

        // Kubernetes counts the grace period from the start of preStop; past it, the pod is killed mid-drain.
        Assert.True(pause > 0, "a preStop pause lets the endpoints be removed before SIGTERM");
        Assert.True(grace > pause + shutdown.TotalSeconds, $"terminationGracePeriodSeconds {grace} <= preStop {pause} s + shutdown {shutdown.TotalSeconds} s");
        Assert.Equal((45, 5, 25.0), (grace, pause, shutdown.TotalSeconds));

        // The chart's default is the app's own default (appsettings.json Hosting:ShutdownTimeout).
        using var appsettings = JsonDocument.Parse(
            Repository.Read("src", "Api", "appsettings.json"),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var appDefault = TimeSpan.Parse(appsettings.RootElement.GetProperty("Hosting").GetProperty("ShutdownTimeout").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(appDefault, shutdown);
    }

    [Theory]
    [InlineData(25, 45, 25)]
    [InlineData(90, 120, 90)]
    [InlineData(3725, 4000, 3725)] // 1:02:05
    public async Task Shutdown_timeout_reaches_the_app_as_a_TimeSpan(int seconds, int grace, int expectedSeconds)
    {
        var rendered = await Helm.TemplateAsync(
            "--set", $"shutdownTimeoutSeconds={seconds}", "--set", $"terminationGracePeriodSeconds={grace}");

        var value = rendered.Get("ConfigMap").Str("data.Hosting__ShutdownTimeout");
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), TimeSpan.Parse(value, CultureInfo.InvariantCulture));
        Assert.Equal(grace, rendered.Deployment.Int("spec.template.spec.terminationGracePeriodSeconds"));
    }

    [Theory]
    [InlineData(30, 5, 25)] // equal is not enough
    [InlineData(20, 5, 25)]
    [InlineData(45, 20, 25)]
    [InlineData(45, 5, 60)]
    public async Task A_grace_period_that_does_not_cover_preStop_and_shutdown_fails_to_render(int grace, int preStop, int shutdown)
    {
        var error = await Helm.TemplateFailureAsync(
            ["--set", $"terminationGracePeriodSeconds={grace}", "--set", $"preStopSleepSeconds={preStop}", "--set", $"shutdownTimeoutSeconds={shutdown}"]);

        Assert.Contains(GraceMessage, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grace_period_one_second_longer_than_preStop_plus_shutdown_renders()
    {
        var rendered = await Helm.TemplateAsync("--set", "terminationGracePeriodSeconds=31");

        Assert.Equal(31, rendered.Deployment.Int("spec.template.spec.terminationGracePeriodSeconds"));
        Assert.Equal(new[] { "sleep", "5" }, rendered.ApiContainer.Strings("lifecycle.preStop.exec.command"));
    }

    [Fact]
    public async Task Secret_holds_the_given_values_and_every_reference_to_it_resolves()
    {
        var rendered = await Helm.TemplateAsync();
        var secret = rendered.Get("Secret");
        Assert.Equal("Opaque", secret.Str("type"));
        var data = secret.StringMap("data").ToDictionary(pair => pair.Key, pair => Encoding.UTF8.GetString(Convert.FromBase64String(pair.Value)));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["aliyun-access-key-secret"] = HelmTool.RequiredSecrets["aliyunAccessKeySecret"],
                ["phone-encryption-key"] = HelmTool.RequiredSecrets["phoneEncryptionKey"],
                ["phone-hash-key"] = HelmTool.RequiredSecrets["phoneHashKey"],
                ["postgres-password"] = HelmTool.RequiredSecrets["postgresPassword"],
                ["rabbitmq-password"] = HelmTool.RequiredSecrets["rabbitmqPassword"],
            },
            data);

        // Secrets reach the pods as files named after their settings (src/Api/Infrastructure/SecretFiles.cs), never as env vars.
        foreach (var (container, pod) in new[]
        {
            (rendered.ApiContainer, (YamlMappingNode)rendered.Deployment.At("spec.template.spec")),
            ((YamlMappingNode)rendered.Get("Job").At("spec.template.spec.containers[name=migrate]"), (YamlMappingNode)rendered.Get("Job").At("spec.template.spec")),
        })
        {
            Assert.DoesNotContain(container.Seq("env"), e => e.Has("valueFrom.secretKeyRef"));
            Assert.Equal("/etc/bindingservice/secrets", container.Seq("env").Single(e => e.Str("name") == "BINDINGSERVICE_SECRETS_DIR").Str("value"));
            var mount = container.Seq("volumeMounts").Single(m => m.Str("name") == "secrets");
            Assert.Equal("/etc/bindingservice/secrets", mount.Str("mountPath"));
            Assert.True(mount.Bool("readOnly"));
            var volume = pod.Seq("volumes").Single(v => v.Str("name") == "secrets");
            Assert.Equal(FullName, volume.Str("secret.secretName"));
            var items = volume.Seq("secret.items").ToDictionary(i => i.Str("key"), i => i.Str("path"));
            Assert.Equal(
                new Dictionary<string, string>
                {
                    ["aliyun-access-key-secret"] = "Aliyun__AccessKeySecret",
                    ["phone-encryption-key"] = "Security__PhoneEncryptionKey",
                    ["phone-hash-key"] = "Security__PhoneHashKey",
                    ["postgres-password"] = "Database__Password",
                    ["rabbitmq-password"] = "RabbitMq__Password",
                },
                items);
            Assert.All(items.Keys, key => Assert.Contains(key, data.Keys));
            Assert.Equal(rendered.Get("ConfigMap").Str("metadata.name"), container.Seq("envFrom").Single().Str("configMapRef.name"));
        }

        // No secret value leaks into the ConfigMap or a plain env value.
        var plain = rendered.Get("ConfigMap").StringMap("data").Values
            .Concat(rendered.ApiContainer.Seq("env").Where(e => e.Has("value")).Select(e => e.Str("value")));
        foreach (var value in plain)
        {
            foreach (var secretValue in HelmTool.RequiredSecrets.Values)
            {
                Assert.DoesNotContain(secretValue, value, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Connection_string_has_no_password_the_mounted_secret_supplies_it()
    {
        var env = (await Helm.TemplateAsync()).ApiContainer.Seq("env");
        var names = env.Select(e => e.Str("name")).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(
            "Host=postgres;Port=5432;Database=bindingservice;Username=bindingservice;Maximum Pool Size=50",
            env.Single(e => e.Str("name") == "ConnectionStrings__Postgres").Str("value"));

        var custom = (await Helm.TemplateAsync("--set", "config.postgres.host=db.internal", "--set", "config.postgres.port=6432", "--set-string", "config.postgres.options=SSL Mode=Require"))
            .ApiContainer.Seq("env").Single(e => e.Str("name") == "ConnectionStrings__Postgres").Str("value");
        Assert.Equal("Host=db.internal;Port=6432;Database=bindingservice;Username=bindingservice;SSL Mode=Require", custom);
    }

    [Fact]
    public async Task ConfigMap_holds_the_apps_settings_all_as_strings()
    {
        var rendered = await Helm.TemplateAsync(
            "--set", "config.extraEnv.Jobs__Reconciler__ProviderCallsPerSecond=20",
            "--set", "config.extraEnv.Feature__Enabled=true",
            "--set", "config.openTelemetry.exporter=otlp",
            "--set", "config.openTelemetry.otlpEndpoint=http://collector:4317");
        var configMap = rendered.Get("ConfigMap");

        // A ConfigMap's data are strings: Kubernetes rejects a number or a boolean.
        foreach (var (key, value) in configMap.Map("data").Children)
        {
            Assert.True(Yaml.IsString((YamlScalarNode)value), $"ConfigMap data {key} = {value} is not a YAML string");
        }

        var data = configMap.StringMap("data");
        Assert.Equal("Production", data["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("false", data["Database__MigrateOnStartup"]); // the migration job migrates
        Assert.Equal("rabbitmq", data["RabbitMq__Host"]);
        Assert.Equal("5672", data["RabbitMq__Port"]);
        Assert.Equal("/", data["RabbitMq__VirtualHost"]);
        Assert.Equal("bindingservice", data["RabbitMq__Username"]);
        Assert.Equal("https://dyplsapi.aliyuncs.com/", data["Aliyun__Endpoint"]);
        Assert.Equal("cn-hangzhou", data["Aliyun__RegionId"]);
        Assert.Equal("otlp", data["OpenTelemetry__Exporter"]);
        Assert.Equal("http://collector:4317", data["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("20", data["Jobs__Reconciler__ProviderCallsPerSecond"]);
        Assert.Equal("true", data["Feature__Enabled"]);

        var defaults = (await Helm.TemplateAsync()).Get("ConfigMap").StringMap("data");
        Assert.False(defaults.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"), "no OTLP endpoint unless one is set");
        Assert.Equal("none", defaults["OpenTelemetry__Exporter"]);
    }

    [Fact]
    public async Task Inline_socket_completions_are_on_by_default_and_can_be_turned_off()
    {
        // The runtime reads this variable once at start (docs/performance.md, round 4): "1" inlines, anything else does not.
        const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        var defaults = (await Helm.TemplateAsync()).Get("ConfigMap").StringMap("data");
        var off = (await Helm.TemplateAsync("--set", "runtime.inlineSocketCompletions=false")).Get("ConfigMap").StringMap("data");

        Assert.Equal("1", defaults[Variable]);
        Assert.Equal("0", off[Variable]);
    }

    [Fact]
    public async Task A_config_or_secret_change_rolls_the_pods()
    {
        static string Checksum(Rendered rendered, string name) =>
            rendered.Deployment.StringMap("spec.template.metadata.annotations")[name];

        var baseline = await Helm.TemplateAsync();
        var config = await Helm.TemplateAsync("--set", "config.rabbitmq.host=rabbitmq.other");
        var secret = await Helm.TemplateAsync("--set-string", "secrets.rabbitmqPassword=rotated");

        Assert.Matches("^[0-9a-f]{64}$", Checksum(baseline, "checksum/config"));
        Assert.NotEqual(Checksum(baseline, "checksum/config"), Checksum(config, "checksum/config"));
        Assert.Equal(Checksum(baseline, "checksum/secret"), Checksum(config, "checksum/secret"));
        Assert.NotEqual(Checksum(baseline, "checksum/secret"), Checksum(secret, "checksum/secret"));
        Assert.Equal(Checksum(baseline, "checksum/config"), Checksum(secret, "checksum/config"));
    }

    [Fact]
    public async Task Migration_job_runs_migrate_as_a_hook_after_its_ConfigMap_and_Secret_exist()
    {
        var rendered = await Helm.TemplateAsync();
        var job = rendered.Get("Job");
        var jobAnnotations = job.StringMap("metadata.annotations");

        Assert.Equal("batch/v1", job.Str("apiVersion"));
        Assert.Equal("pre-install,pre-upgrade", jobAnnotations["helm.sh/hook"]);
        Assert.Equal("before-hook-creation,hook-succeeded", jobAnnotations["helm.sh/hook-delete-policy"]);
        Assert.Equal(2, job.Int("spec.backoffLimit"));
        Assert.Equal(600, job.Int("spec.activeDeadlineSeconds"));
        Assert.Equal("Never", job.Str("spec.template.spec.restartPolicy"));
        var container = job.At("spec.template.spec.containers[name=migrate]");
        Assert.Equal(new[] { "migrate" }, container.Strings("args"));
        Assert.Equal(rendered.ApiContainer.Str("image"), container.Str("image"));

        // The job reads the ConfigMap and the Secret: they are hooks too, created before it.
        var jobWeight = int.Parse(jobAnnotations["helm.sh/hook-weight"], CultureInfo.InvariantCulture);
        foreach (var kind in new[] { "ConfigMap", "Secret" })
        {
            var annotations = rendered.Get(kind).StringMap("metadata.annotations");
            Assert.Equal("pre-install,pre-upgrade", annotations["helm.sh/hook"]);
            Assert.True(int.Parse(annotations["helm.sh/hook-weight"], CultureInfo.InvariantCulture) < jobWeight, $"the {kind} must be created before the job");
        }

        // Its pods are not API pods: the Deployment's, Service's and PDB's selectors skip them.
        var jobPods = job.StringMap("spec.template.metadata.labels");
        Assert.Equal("migration", jobPods["app.kubernetes.io/component"]);
        foreach (var selector in new[] { rendered.Deployment.StringMap("spec.selector.matchLabels"), rendered.Get("Service").StringMap("spec.selector"), rendered.Get("PodDisruptionBudget").StringMap("spec.selector.matchLabels") })
        {
            Assert.False(selector.All(pair => jobPods.TryGetValue(pair.Key, out var value) && value == pair.Value), "a selector matches the migration job's pods");
        }
    }

    [Fact]
    public async Task Without_the_migration_job_the_ConfigMap_and_Secret_are_ordinary_objects()
    {
        var rendered = await Helm.TemplateAsync("--set", "migration.enabled=false");

        Assert.Null(rendered.Find("Job"));
        Assert.Empty(rendered.Get("ConfigMap").StringMap("metadata.annotations"));
        Assert.Empty(rendered.Get("Secret").StringMap("metadata.annotations"));
    }

    [Fact]
    public async Task Disruption_budget_keeps_all_but_one_api_pod()
    {
        var rendered = await Helm.TemplateAsync();
        var pdb = rendered.Get("PodDisruptionBudget");

        Assert.Equal("policy/v1", pdb.Str("apiVersion"));
        Assert.Equal(1, pdb.Int("spec.maxUnavailable"));
        Assert.False(pdb.Has("spec.minAvailable"));
        Assert.Equal(rendered.Deployment.StringMap("spec.selector.matchLabels"), pdb.StringMap("spec.selector.matchLabels"));
    }

    [Theory]
    [InlineData("replicaCount=1", null, null)] // a budget on one replica would block node drains
    [InlineData("podDisruptionBudget.enabled=false", null, null)]
    [InlineData("podDisruptionBudget.minAvailable=2", "minAvailable", 2)]
    [InlineData("podDisruptionBudget.maxUnavailable=2", "maxUnavailable", 2)]
    public async Task Disruption_budget_variations(string setting, string? field, int? expected)
    {
        var pdb = (await Helm.TemplateAsync("--set", setting)).Find("PodDisruptionBudget");

        if (field is null)
        {
            Assert.Null(pdb);
            return;
        }

        Assert.NotNull(pdb);
        Assert.Equal(expected, pdb.Int($"spec.{field}"));
        Assert.Single(pdb.Map("spec").Children.Keys, k => k.ToString() is "minAvailable" or "maxUnavailable");
    }

    [Fact]
    public async Task Autoscaling_replaces_the_fixed_replica_count()
    {
        var rendered = await Helm.TemplateAsync("--set", "autoscaling.enabled=true", "--set", "replicaCount=1");
        var hpa = rendered.Get("HorizontalPodAutoscaler");

        Assert.Equal("autoscaling/v2", hpa.Str("apiVersion"));
        Assert.Equal("apps/v1", hpa.Str("spec.scaleTargetRef.apiVersion"));
        Assert.Equal("Deployment", hpa.Str("spec.scaleTargetRef.kind"));
        Assert.Equal(rendered.Deployment.Str("metadata.name"), hpa.Str("spec.scaleTargetRef.name"));
        Assert.Equal(3, hpa.Int("spec.minReplicas"));
        Assert.Equal(10, hpa.Int("spec.maxReplicas"));
        var metric = hpa.Seq("spec.metrics").Single();
        Assert.Equal("cpu", metric.Str("resource.name"));
        Assert.Equal(70, metric.Int("resource.target.averageUtilization"));

        // The autoscaler owns the replica count (a fixed one would fight it on every upgrade), and
        // the budget stays although replicaCount is 1.
        Assert.False(rendered.Deployment.Has("spec.replicas"));
        Assert.NotNull(rendered.Find("PodDisruptionBudget"));
    }

    [Fact]
    public async Task An_existing_secret_is_referenced_instead_of_created()
    {
        var rendered = await Helm.TemplateAsync("--set", "secrets.create=false", "--set", "secrets.existingSecret=prod-bindingservice");

        Assert.Null(rendered.Find("Secret"));
        Assert.False(rendered.Deployment.StringMap("spec.template.metadata.annotations").ContainsKey("checksum/secret"));
        var volume = rendered.Deployment.Seq("spec.template.spec.volumes").Single(v => v.Str("name") == "secrets");
        Assert.Equal("prod-bindingservice", volume.Str("secret.secretName"));
        Assert.Equal(5, volume.Seq("secret.items").Count);

        var error = await Helm.TemplateFailureAsync(["--set", "secrets.create=false"], withSecrets: false);
        Assert.Contains("secrets.existingSecret is required when secrets.create is false", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_account_can_be_named_or_left_to_the_namespace_default()
    {
        var named = await Helm.TemplateAsync("--set", "serviceAccount.name=bindingservice-api", "--set", "serviceAccount.annotations.team=payments");
        Assert.Equal("bindingservice-api", named.Get("ServiceAccount").Str("metadata.name"));
        Assert.Equal("payments", named.Get("ServiceAccount").Str("metadata.annotations.team"));
        Assert.Equal("bindingservice-api", named.Deployment.Str("spec.template.spec.serviceAccountName"));

        var none = await Helm.TemplateAsync("--set", "serviceAccount.create=false");
        Assert.Null(none.Find("ServiceAccount"));
        Assert.Equal("default", none.Deployment.Str("spec.template.spec.serviceAccountName"));
    }

    [Fact]
    public async Task Image_defaults_to_the_app_version_and_the_tag_overrides_it()
    {
        var defaults = await Helm.TemplateAsync();
        Assert.Equal("registry.example.invalid/bindingservice/api:0.1.0", defaults.ApiContainer.Str("image"));
        Assert.Equal("IfNotPresent", defaults.ApiContainer.Str("imagePullPolicy"));

        var tagged = await Helm.TemplateAsync("--set", "image.tag=1.4.2", "--set", "imagePullSecrets[0].name=registry");
        Assert.Equal("registry.example.invalid/bindingservice/api:1.4.2", tagged.ApiContainer.Str("image"));
        Assert.Equal("registry.example.invalid/bindingservice/api:1.4.2", tagged.Get("Job").Str("spec.template.spec.containers[name=migrate].image"));
        Assert.All(tagged.Objects, o => Assert.Equal("1.4.2", o.Str("metadata.labels['app.kubernetes.io/version']")));
        Assert.Equal("registry", tagged.Deployment.Str("spec.template.spec.imagePullSecrets[0].name"));
        Assert.Equal("registry", tagged.Get("Job").Str("spec.template.spec.imagePullSecrets[0].name"));
    }

    [Fact]
    public async Task Names_follow_the_release_and_the_overrides()
    {
        var overridden = await Helm.TemplateAsync("--set", "fullnameOverride=payments-numbers");
        Assert.All(overridden.Objects.Where(o => o.Str("kind") != "Job"), o => Assert.Equal("payments-numbers", o.Str("metadata.name")));
        Assert.Equal("payments-numbers-migrate", overridden.Get("Job").Str("metadata.name"));
        Assert.Equal("payments-numbers", overridden.ApiContainer.Str("envFrom[0].configMapRef.name"));

        // A release whose name already holds the chart's is not doubled.
        var result = await Helm.RunAsync(["template", "bindingservice-prod", HelmTool.ChartPath, .. HelmTool.SecretArguments()]);
        Assert.True(result.ExitCode == 0, result.Describe());
        var rendered = new Rendered(Yaml.LoadDocuments(result.StandardOutput, "helm template"));
        Assert.Equal("bindingservice-prod", rendered.Deployment.Str("metadata.name"));
    }

    [Fact]
    public async Task Kubernetes_older_than_1_25_is_refused()
    {
        var error = await Helm.TemplateFailureAsync(["--kube-version", "1.24.0"]);
        Assert.Contains("chart requires kubeVersion: >=1.25.0-0", error, StringComparison.Ordinal);

        await Helm.TemplateAsync("--kube-version", "1.25.0");
    }

    [Fact]
    public async Task Install_notes_say_how_to_reach_the_release_and_warn_about_a_missing_access_key()
    {
        var notes = await NotesAsync();
        Assert.Contains($"BindingService 0.1.0 is installed as release {HelmTool.Release} in namespace {HelmTool.Namespace}.", notes, StringComparison.Ordinal);
        Assert.Contains("Replicas: 3.", notes, StringComparison.Ordinal);
        Assert.Contains($"kubectl --namespace {HelmTool.Namespace} port-forward service/{FullName} 5080:80", notes, StringComparison.Ordinal);
        Assert.Contains($"job {FullName}-migrate", notes, StringComparison.Ordinal);
        Assert.Contains("WARNING: config.aliyun.accessKeyId is empty", notes, StringComparison.Ordinal);

        var configured = await NotesAsync("--set", "config.aliyun.accessKeyId=LTAI-test", "--set", "autoscaling.enabled=true", "--set", "service.port=8080");
        Assert.DoesNotContain("WARNING", configured, StringComparison.Ordinal);
        Assert.Contains("Replicas: 3-10 (HorizontalPodAutoscaler, 70% CPU).", configured, StringComparison.Ordinal);
        Assert.Contains($"port-forward service/{FullName} 5080:8080", configured, StringComparison.Ordinal);
    }

    /// <summary>NOTES.txt as `helm install --dry-run=client` prints it (helm template does not render it).</summary>
    private async Task<string> NotesAsync(params string[] arguments)
    {
        var result = await Helm.RunAsync(
            ["install", HelmTool.Release, HelmTool.ChartPath, "--namespace", HelmTool.Namespace, "--dry-run=client", .. HelmTool.SecretArguments(), .. arguments]);
        Assert.True(result.ExitCode == 0, "helm install --dry-run=client: " + result.Describe());
        var index = result.StandardOutput.IndexOf("\nNOTES:\n", StringComparison.Ordinal);
        Assert.True(index >= 0, "no NOTES in: " + result.StandardOutput);
        return result.StandardOutput[(index + 8)..];
    }

    private static void AssertSelects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels, string what)
    {
        Assert.NotEmpty(selector);
        foreach (var (key, value) in selector)
        {
            Assert.True(labels.TryGetValue(key, out var actual) && actual == value, $"{what} selects {key}={value}, which the API pods lack");
        }
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
