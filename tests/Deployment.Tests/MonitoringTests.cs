using System.Text.Json;
using System.Text.RegularExpressions;
using BindingService.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace BindingService.Deployment.Tests;

/// <summary>
/// Issue 14: the Prometheus scrape port, the ServiceMonitor and the PrometheusRule of the chart (all off by default),
/// rendered by a real Helm; every alert linked to its runbook section in docs/operations.md and reading metrics the
/// Grafana dashboard (deploy/dashboards/bindingservice.json) also shows.
/// </summary>
public sealed partial class MonitoringTests(HelmFixture fixture) : IClassFixture<HelmFixture>
{
    private const string RunbookBase = "https://runbooks.example.invalid/docs/operations.md";

    private static readonly string[] AllOn =
    [
        "--set", "metrics.enabled=true", "--set", "metrics.serviceMonitor.enabled=true", "--set", "metrics.prometheusRule.enabled=true",
        "--set", $"metrics.prometheusRule.runbookBaseUrl={RunbookBase}",
    ];

    [Fact]
    public async Task By_default_there_is_no_scrape_port_no_ServiceMonitor_and_no_PrometheusRule()
    {
        var rendered = await fixture.Tool.TemplateAsync();

        Assert.Null(rendered.Find("ServiceMonitor"));
        Assert.Null(rendered.Find("PrometheusRule"));
        Assert.DoesNotContain(rendered.ApiContainer.Seq("ports"), p => p.Str("name") == "metrics");
        Assert.DoesNotContain(rendered.Get("Service").Seq("spec.ports"), p => p.Str("name") == "metrics");
        Assert.False(rendered.Get("ConfigMap").Has("data.Hosting__ManagementPort"));
    }

    [Fact]
    public async Task ServiceMonitor_scrapes_metrics_on_the_management_port_the_app_is_told_to_serve()
    {
        var rendered = await fixture.Tool.TemplateAsync([.. AllOn, "--set", "metrics.port=9555", "--set", "metrics.serviceMonitor.labels.release=prom"]);
        var monitor = rendered.Get("ServiceMonitor");
        var service = rendered.Get("Service");

        Assert.Equal("monitoring.coreos.com/v1", monitor.Str("apiVersion"));
        Assert.Equal("prom", monitor.StringMap("metadata.labels")["release"]);
        var serviceLabels = service.StringMap("metadata.labels");
        Assert.All(monitor.StringMap("spec.selector.matchLabels"), l => Assert.Equal(l.Value, serviceLabels.GetValueOrDefault(l.Key)));
        Assert.Equal(["payments"], monitor.Strings("spec.namespaceSelector.matchNames"));

        var endpoint = Assert.Single(monitor.Seq("spec.endpoints"));
        Assert.Equal("/metrics", endpoint.Str("path"));
        var servicePort = service.Seq("spec.ports").Single(p => p.Str("name") == endpoint.Str("port"));
        Assert.Equal(9555, servicePort.Int("port"));
        var containerPort = rendered.ApiContainer.Seq("ports").Single(p => p.Str("name") == servicePort.Str("targetPort"));
        Assert.Equal(9555, containerPort.Int("containerPort"));
        Assert.Equal("9555", rendered.Get("ConfigMap").Str("data.Hosting__ManagementPort"));
        // The main port stays the API's.
        Assert.NotEqual(9555, rendered.ApiContainer.Seq("ports").Single(p => p.Str("name") == "http").Int("containerPort"));
    }

    [Theory]
    [InlineData("metrics.serviceMonitor.enabled", "metrics.serviceMonitor.enabled needs metrics.enabled")]
    [InlineData("metrics.prometheusRule.enabled", "metrics.prometheusRule.enabled needs metrics.enabled")]
    public async Task Monitoring_objects_without_the_scrape_port_fail_to_render(string setting, string message)
    {
        var error = await fixture.Tool.TemplateFailureAsync(["--set", $"{setting}=true"]);

        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_alert_links_to_its_runbook_section_and_every_recommended_alert_is_there()
    {
        var rendered = await fixture.Tool.TemplateAsync([.. AllOn, "--set", "metrics.prometheusRule.poolFreePairsBelow=7"]);
        var rules = Assert.Single(rendered.Get("PrometheusRule").Seq("spec.groups")).Seq("rules");
        var operations = Repository.Read("docs", "operations.md");
        var documented = AlertHeading().Matches(operations).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(documented.Order(StringComparer.Ordinal), rules.Select(r => r.Str("alert")).Order(StringComparer.Ordinal));
        var anchors = Heading().Matches(operations).Select(m => Anchor(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var url = rule.Str("annotations.runbook_url");
            Assert.StartsWith(RunbookBase + "#", url, StringComparison.Ordinal);
            Assert.Contains(url[(RunbookBase.Length + 1)..], anchors);
            Assert.Equal(Anchor(rule.Str("alert")), url[(RunbookBase.Length + 1)..]);
            Assert.False(string.IsNullOrWhiteSpace(rule.Str("annotations.summary")));
            Assert.Contains(rule.Str("labels.severity"), new[] { "warning", "critical" });
        }

        Assert.EndsWith("< 7", rules.Single(r => r.Str("alert") == "BindingServicePoolCapacityLow").Str("expr"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_metric_an_alert_reads_is_one_the_dashboard_shows()
    {
        var rendered = await fixture.Tool.TemplateAsync(AllOn);
        var dashboard = DashboardMetrics();

        foreach (var rule in Assert.Single(rendered.Get("PrometheusRule").Seq("spec.groups")).Seq("rules"))
        {
            var metrics = MetricName().Matches(rule.Str("expr")).Select(m => m.Value).ToList();
            Assert.NotEmpty(metrics);
            Assert.All(metrics, m => Assert.Contains(m, dashboard));
        }
    }

    [Fact]
    public void Dashboard_panels_query_the_chosen_Prometheus_and_cover_what_operations_md_names()
    {
        using var json = JsonDocument.Parse(Repository.Read("deploy", "dashboards", "bindingservice.json"));
        var panels = json.RootElement.GetProperty("panels").EnumerateArray().ToList();

        Assert.NotEmpty(panels);
        foreach (var panel in panels)
        {
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.Contains(panel.GetProperty("targets").EnumerateArray(), t => !string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()));
        }

        var metrics = DashboardMetrics();
        foreach (var wanted in new[]
        {
            "http_server_request_duration_seconds_bucket", "bindingservice_aliyun_calls_total", "bindingservice_aliyun_circuit_transitions_total",
            "bindingservice_outbox_backlog", "bindingservice_outbox_oldest_unsent_age_seconds", "bindingservice_jobs_expiry_lag_seconds",
            "bindingservice_jobs_reconciler_outcomes_total", "bindingservice_pool_pairs_used", "bindingservice_pool_pairs_free",
        })
        {
            Assert.Contains(wanted, metrics);
        }
    }

    /// <summary>GitHub's anchor of a heading: lower case, spaces to hyphens, punctuation dropped.</summary>
    private static string Anchor(string heading) =>
        new(heading.Trim().ToLowerInvariant().Replace(' ', '-').Where(c => char.IsLetterOrDigit(c) || c is '-' or '_').ToArray());

    private static HashSet<string> DashboardMetrics()
    {
        using var json = JsonDocument.Parse(Repository.Read("deploy", "dashboards", "bindingservice.json"));
        return json.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .SelectMany(t => MetricName().Matches(t.GetProperty("expr").GetString()!).Select(m => m.Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^### (BindingService\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertHeading();

    [GeneratedRegex(@"^#+ (.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"\b(bindingservice_[a-z_]+|http_server_request_duration_seconds_[a-z]+)\b")]
    private static partial Regex MetricName();
}
