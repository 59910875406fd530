using BindingService.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace BindingService.Deployment.Tests;

/// <summary>
/// The chart's security settings rendered by a real Helm (docs/security.md): authentication from the cluster's
/// service-account issuer by default or a mounted key set, and a NetworkPolicy that admits only the configured callers
/// and lets the pods reach only DNS, PostgreSQL, RabbitMQ, the issuer and Aliyun.
/// </summary>
public sealed class HelmSecurityTests(HelmFixture fixture) : IClassFixture<HelmFixture>
{
    private HelmTool Helm => fixture.Tool;

    [Fact]
    public async Task By_default_callers_authenticate_with_the_clusters_service_account_tokens()
    {
        var rendered = await Helm.TemplateAsync();
        var config = ConfigMap(rendered, "rel-bindingservice").StringMap("data");

        Assert.Equal("https://kubernetes.default.svc.cluster.local", config["Authentication__Authority"]);
        Assert.Equal("https://kubernetes.default.svc.cluster.local", config["Authentication__Issuer"]);
        Assert.Equal("bindingservice", config["Authentication__Audience"]);
        Assert.Equal("sub", config["Authentication__CallerIdClaim"]);
        Assert.Equal("65536", config["Limits__MaxRequestBodyBytes"]);
        Assert.Equal("0:0:30", config["Limits__RequestTimeout"]);
        Assert.False(config.ContainsKey("Authentication__SigningKeysFile"));
    }

    [Fact]
    public async Task A_key_set_instead_is_mounted_as_a_file_the_service_reads()
    {
        const string keys = """{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","kid":"k1"}]}""";
        var values = Path.Combine(Path.GetTempPath(), $"bs-auth-values-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(values, $"auth:\n  authority: \"\"\n  issuer: https://issuer.example\n  signingKeys: '{keys}'\n");
        Rendered rendered;
        try
        {
            rendered = await Helm.TemplateAsync("-f", values);
        }
        finally
        {
            File.Delete(values);
        }

        var config = ConfigMap(rendered, "rel-bindingservice").StringMap("data");
        Assert.False(config.ContainsKey("Authentication__Authority"));
        Assert.Equal("https://issuer.example", config["Authentication__Issuer"]);
        Assert.Equal("/etc/bindingservice/auth/jwks.json", config["Authentication__SigningKeysFile"]);
        Assert.Equal(keys, ConfigMap(rendered, "rel-bindingservice-auth").StringMap("data")["jwks.json"]);
        var mount = rendered.ApiContainer.Seq("volumeMounts").Cast<YamlMappingNode>().Single(m => m.Str("name") == "auth");
        Assert.Equal("/etc/bindingservice/auth", mount.Str("mountPath"));
        var volume = rendered.Deployment.Seq("spec.template.spec.volumes").Cast<YamlMappingNode>().Single(v => v.Str("name") == "auth");
        Assert.Equal("rel-bindingservice-auth", volume.Str("configMap.name"));
    }

    [Fact]
    public async Task Without_an_issuer_or_keys_the_release_fails_saying_what_to_set()
    {
        var error = await Helm.TemplateFailureAsync(["--set", "auth.authority="]);
        Assert.Contains("auth.authority (OIDC discovery) or auth.signingKeys", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_network_policy_admits_only_configured_callers_and_allows_only_the_services_dependencies()
    {
        var rendered = await Helm.TemplateAsync(
            "--set", "networkPolicy.ingress.from[0].namespaceSelector.matchLabels.team=rides",
            "--set", "networkPolicy.egress.postgres.to[0].ipBlock.cidr=10.1.0.0/16");
        var policy = rendered.Get("NetworkPolicy");

        Assert.Equal(["Ingress", "Egress"], policy.Strings("spec.policyTypes"));
        Assert.Equal("rel", policy.Str("spec.podSelector.matchLabels['app.kubernetes.io/instance']"));
        var ingress = Assert.Single(policy.Seq("spec.ingress"));
        Assert.Equal(8080, ingress.Int("ports[0].port"));
        Assert.Equal("rides", ingress.Str("from[0].namespaceSelector.matchLabels.team"));
        var egress = policy.Seq("spec.egress");
        var ports = egress.SelectMany(rule => rule.Seq("ports").Select(p => p.Int("port"))).Order().ToList();
        Assert.Equal([53, 53, 443, 443, 5432, 5672, 6443], ports);
        var postgres = egress.Single(rule => rule.Seq("ports").Any(p => p.Int("port") == 5432));
        Assert.Equal("10.1.0.0/16", postgres.Str("to[0].ipBlock.cidr"));
        var dns = egress.Single(rule => rule.Seq("ports").Any(p => p.Int("port") == 53));
        Assert.Equal("kube-dns", dns.Str("to[0].podSelector.matchLabels['k8s-app']"));
    }

    [Fact]
    public async Task With_metrics_on_the_network_policy_admits_scrapers_to_the_management_port_only()
    {
        var rendered = await Helm.TemplateAsync(
            "--set", "metrics.enabled=true",
            "--set", "networkPolicy.ingress.metricsFrom[0].namespaceSelector.matchLabels.name=monitoring");
        var ingress = rendered.Get("NetworkPolicy").Seq("spec.ingress");

        Assert.Equal(2, ingress.Count);
        var scrape = ingress.Single(rule => rule.Int("ports[0].port") == 9464);
        Assert.Equal("monitoring", scrape.Str("from[0].namespaceSelector.matchLabels.name"));
    }

    [Fact]
    public async Task The_network_policy_can_be_turned_off()
    {
        var rendered = await Helm.TemplateAsync("--set", "networkPolicy.enabled=false");
        Assert.DoesNotContain("NetworkPolicy", rendered.Kinds);
    }

    private static YamlMappingNode ConfigMap(Rendered rendered, string name) =>
        rendered.Objects.Single(o => o.Str("kind") == "ConfigMap" && o.Str("metadata.name") == name);
}
