using System.Text.RegularExpressions;
using BindingService.Deployment.Tests.Support;

namespace BindingService.Deployment.Tests;

/// <summary>
/// deploy/helm/bindingservice: N stateless replicas plus a migration hook. No helm binary runs here,
/// so these checks read the files: Chart.yaml and values.yaml parse (strict YAML subset), every
/// .Values reference in the templates exists, and the template actions are balanced.
/// </summary>
public sealed partial class HelmChartTests
{
    private static readonly string[] ChartDirectory = ["deploy", "helm", "bindingservice"];

    private static readonly string[] ExpectedTemplates =
    [
        "_helpers.tpl", "NOTES.txt", "deployment.yaml", "service.yaml", "configmap.yaml", "secret.yaml",
        "serviceaccount.yaml", "migration-job.yaml", "poddisruptionbudget.yaml", "hpa.yaml",
    ];

    [Fact]
    public void Chart_yaml_names_a_v2_application_chart()
    {
        var chart = MiniYaml.ParseMapping(ReadChartFile("Chart.yaml"), "Chart.yaml");

        Assert.Equal("v2", MiniYaml.Get(chart, "apiVersion"));
        Assert.Equal("bindingservice", MiniYaml.Get(chart, "name"));
        Assert.Equal("application", MiniYaml.Get(chart, "type"));
        Assert.Matches(@"^\d+\.\d+\.\d+", (string)MiniYaml.Get(chart, "version")!);
        Assert.False(string.IsNullOrWhiteSpace(MiniYaml.Get(chart, "appVersion") as string));
    }

    [Fact]
    public void Values_yaml_parses_and_holds_the_deployment_settings()
    {
        var values = Values();

        Assert.True(MiniYaml.AsInt(MiniYaml.Get(values, "replicaCount"), "replicaCount") >= 2, "run several replicas by default");
        Assert.False(string.IsNullOrWhiteSpace(MiniYaml.Get(values, "image.repository") as string));
        Assert.Equal("/health/live", MiniYaml.Get(values, "probes.liveness.path"));
        Assert.Equal("/health/ready", MiniYaml.Get(values, "probes.readiness.path"));
        Assert.Equal("true", MiniYaml.Get(values, "podSecurityContext.runAsNonRoot"));
        Assert.NotEqual(0, MiniYaml.AsInt(MiniYaml.Get(values, "podSecurityContext.runAsUser"), "runAsUser"));
        Assert.Equal("false", MiniYaml.Get(values, "securityContext.allowPrivilegeEscalation"));
        Assert.True(MiniYaml.AsInt(MiniYaml.Get(values, "terminationGracePeriodSeconds"), "terminationGracePeriodSeconds") > 30);
        Assert.True(MiniYaml.AsInt(MiniYaml.Get(values, "preStopSleepSeconds"), "preStopSleepSeconds") > 0);
        Assert.True(MiniYaml.Has(values, "resources.requests.cpu"));
        Assert.True(MiniYaml.Has(values, "resources.limits.memory"));
        Assert.Equal("true", MiniYaml.Get(values, "migration.enabled"));
        Assert.Equal("true", MiniYaml.Get(values, "podDisruptionBudget.enabled"));
        Assert.True(MiniYaml.Has(values, "autoscaling.enabled"));

        // Secret material has no defaults in the chart.
        foreach (var secret in new[] { "aliyunAccessKeySecret", "phoneEncryptionKey", "phoneHashKey", "postgresPassword", "rabbitmqPassword" })
        {
            Assert.Equal(string.Empty, MiniYaml.Get(values, "secrets." + secret));
        }
    }

    [Fact]
    public void Every_template_exists()
    {
        foreach (var template in ExpectedTemplates)
        {
            Assert.True(File.Exists(Repository.PathOf([.. ChartDirectory, "templates", template])), $"templates/{template} is missing");
        }
    }

    [Fact]
    public void Every_Values_reference_in_the_templates_is_defined_in_values_yaml()
    {
        var values = Values();
        var missing = new List<string>();
        foreach (var (name, text) in Templates())
        {
            foreach (Match match in ValuesReference().Matches(text))
            {
                var path = match.Groups[1].Value.TrimEnd('.');
                if (!MiniYaml.Has(values, path))
                {
                    missing.Add($"{name}: .Values.{path}");
                }
            }
        }

        Assert.True(missing.Count == 0, "not in values.yaml:\n" + string.Join('\n', missing.Distinct()));
    }

    [Fact]
    public void Template_actions_are_balanced()
    {
        foreach (var (name, text) in Templates())
        {
            var withoutComments = TemplateComment().Replace(text, string.Empty);
            Assert.True(
                Count(withoutComments, "{{") == Count(withoutComments, "}}"),
                $"{name}: unbalanced '{{{{' and '}}}}'");

            var opened = BlockOpen().Matches(withoutComments).Count;
            var closed = BlockEnd().Matches(withoutComments).Count;
            Assert.True(opened == closed, $"{name}: {opened} if/with/range/define blocks but {closed} ends");

            if (name.EndsWith(".yaml", StringComparison.Ordinal))
            {
                Assert.DoesNotContain('\t', text);
            }
        }
    }

    [Fact]
    public void Deployment_probes_shuts_down_gracefully_and_takes_secrets_from_a_Secret()
    {
        var deployment = ReadChartFile("templates", "deployment.yaml");
        var helpers = ReadChartFile("templates", "_helpers.tpl");

        Assert.Contains("kind: Deployment", deployment, StringComparison.Ordinal);
        Assert.Contains("replicas: {{ .Values.replicaCount }}", deployment, StringComparison.Ordinal);
        Assert.Contains("livenessProbe:", deployment, StringComparison.Ordinal);
        Assert.Contains("readinessProbe:", deployment, StringComparison.Ordinal);
        Assert.Contains("path: {{ .Values.probes.liveness.path }}", deployment, StringComparison.Ordinal);
        Assert.Contains("path: {{ .Values.probes.readiness.path }}", deployment, StringComparison.Ordinal);
        Assert.Contains("terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}", deployment, StringComparison.Ordinal);
        Assert.Contains("preStop:", deployment, StringComparison.Ordinal);
        Assert.Contains("{{- toYaml .Values.podSecurityContext", deployment, StringComparison.Ordinal);
        Assert.Contains("include \"bindingservice.env\"", deployment, StringComparison.Ordinal);

        foreach (var variable in new[] { "Aliyun__AccessKeySecret", "Security__PhoneEncryptionKey", "Security__PhoneHashKey", "RabbitMq__Password", "BINDINGSERVICE_POSTGRES_PASSWORD" })
        {
            Assert.Matches($@"- name: {variable}\s+valueFrom:\s+secretKeyRef:", helpers);
        }

        Assert.Contains("configMapRef:", helpers, StringComparison.Ordinal);
    }

    [Fact]
    public void Termination_grace_period_exceeds_the_preStop_pause_plus_the_apps_shutdown_timeout()
    {
        var values = Values();
        var grace = MiniYaml.AsInt(MiniYaml.Get(values, "terminationGracePeriodSeconds"), "terminationGracePeriodSeconds");
        var preStop = MiniYaml.AsInt(MiniYaml.Get(values, "preStopSleepSeconds"), "preStopSleepSeconds");
        var shutdown = MiniYaml.AsInt(MiniYaml.Get(values, "shutdownTimeoutSeconds"), "shutdownTimeoutSeconds");

        // Kubernetes counts the grace period from the start of preStop; past it, the pod is killed mid-drain.
        Assert.True(grace > preStop + shutdown, $"terminationGracePeriodSeconds ({grace}) must exceed preStopSleepSeconds ({preStop}) + shutdownTimeoutSeconds ({shutdown})");
        Assert.True(preStop > 0, "a preStop pause lets the endpoints be removed before SIGTERM");

        // The app really gets that timeout, and a misconfigured release fails to render.
        Assert.Contains("Hosting__ShutdownTimeout: {{", ReadChartFile("templates", "configmap.yaml"), StringComparison.Ordinal);
        Assert.Contains("(int .Values.shutdownTimeoutSeconds)", ReadChartFile("templates", "configmap.yaml"), StringComparison.Ordinal);
        var deployment = ReadChartFile("templates", "deployment.yaml");
        Assert.Contains("{{- fail \"terminationGracePeriodSeconds must exceed", deployment, StringComparison.Ordinal);
        Assert.Contains("command: [\"sleep\", \"{{ .Values.preStopSleepSeconds }}\"]", deployment, StringComparison.Ordinal);

        // The chart's default is the app's own default (appsettings.json Hosting:ShutdownTimeout).
        using var appsettings = System.Text.Json.JsonDocument.Parse(
            Repository.Read("src", "Api", "appsettings.json"),
            new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var appDefault = TimeSpan.Parse(appsettings.RootElement.GetProperty("Hosting").GetProperty("ShutdownTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(shutdown, (int)appDefault.TotalSeconds);
    }

    [Fact]
    public void Migration_job_is_a_pre_install_and_pre_upgrade_hook_running_migrate()
    {
        var job = ReadChartFile("templates", "migration-job.yaml");

        Assert.Contains("kind: Job", job, StringComparison.Ordinal);
        Assert.Contains("\"helm.sh/hook\": pre-install,pre-upgrade", job, StringComparison.Ordinal);
        Assert.Contains("args: [\"migrate\"]", job, StringComparison.Ordinal);
        Assert.Contains("restartPolicy: Never", job, StringComparison.Ordinal);

        // What the job reads must exist before it runs: the ConfigMap and Secret are earlier hooks.
        var helpers = ReadChartFile("templates", "_helpers.tpl");
        Assert.Contains("\"helm.sh/hook-weight\": \"-10\"", helpers, StringComparison.Ordinal);
        Assert.Contains("bindingservice.preMigrationHookAnnotations", ReadChartFile("templates", "configmap.yaml"), StringComparison.Ordinal);
        Assert.Contains("bindingservice.preMigrationHookAnnotations", ReadChartFile("templates", "secret.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Disruption_budget_and_autoscaler_select_only_the_api_pods()
    {
        var pdb = ReadChartFile("templates", "poddisruptionbudget.yaml");
        var hpa = ReadChartFile("templates", "hpa.yaml");

        Assert.Contains("kind: PodDisruptionBudget", pdb, StringComparison.Ordinal);
        Assert.Contains("bindingservice.apiSelectorLabels", pdb, StringComparison.Ordinal);
        Assert.Contains("kind: HorizontalPodAutoscaler", hpa, StringComparison.Ordinal);
        Assert.Contains("{{- if .Values.autoscaling.enabled }}", hpa, StringComparison.Ordinal);
    }

    private static Dictionary<string, object?> Values() => MiniYaml.ParseMapping(ReadChartFile("values.yaml"), "values.yaml");

    private static string ReadChartFile(params string[] parts) => Repository.Read([.. ChartDirectory, .. parts]);

    private static IEnumerable<(string Name, string Text)> Templates()
    {
        var directory = Repository.PathOf([.. ChartDirectory, "templates"]);
        Assert.True(Directory.Exists(directory), "deploy/helm/bindingservice/templates is missing");
        return Directory.EnumerateFiles(directory)
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path)));
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_.]+)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"\{\{-?\s*/\*.*?\*/\s*-?\}\}", RegexOptions.Singleline)]
    private static partial Regex TemplateComment();

    [GeneratedRegex(@"\{\{-?\s*(if|with|range|define|block)\b")]
    private static partial Regex BlockOpen();

    [GeneratedRegex(@"\{\{-?\s*end\b")]
    private static partial Regex BlockEnd();
}
