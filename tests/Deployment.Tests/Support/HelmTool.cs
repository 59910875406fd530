using Xunit.Sdk;
using YamlDotNet.RepresentationModel;

namespace BindingService.Deployment.Tests.Support;

/// <summary>
/// The real Helm (4.x) and kubectl the chart tests run, obtained once per test run by
/// tests/Deployment.Tests/tools/ensure-helm.sh (cached under .local/tools/). When they cannot be had,
/// the fixture throws and every test using it fails: the chart is never left unchecked in silence.
/// </summary>
public sealed class HelmFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<HelmTool>> Shared = new(HelmTool.EnsureAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    internal HelmTool Tool { get; private set; } = null!;

    public async Task InitializeAsync() => Tool = await Shared.Value;

    public Task DisposeAsync() => Task.CompletedTask;
}

internal sealed class HelmTool
{
    public static readonly string[] ChartDirectory = ["deploy", "helm", "bindingservice"];

    public const string Release = "rel";
    public const string Namespace = "payments";

    private readonly Dictionary<string, string> environment;

    private HelmTool(string helm, string kubectl)
    {
        HelmPath = helm;
        KubectlPath = kubectl;
        var home = Repository.PathOf(".local", "tools", "helm-home");
        environment = new Dictionary<string, string>
        {
            // Hermetic: no user configuration, repositories or cluster credentials are read.
            ["HELM_CACHE_HOME"] = Path.Combine(home, "cache"),
            ["HELM_CONFIG_HOME"] = Path.Combine(home, "config"),
            ["HELM_DATA_HOME"] = Path.Combine(home, "data"),
            ["KUBECONFIG"] = Path.Combine(home, "no-kubeconfig"),
        };
    }

    public string HelmPath { get; }

    public string KubectlPath { get; }

    public static string ChartPath => Repository.PathOf(ChartDirectory);

    /// <summary>The five secret values the chart requires (it has no defaults for them).</summary>
    public static IReadOnlyDictionary<string, string> RequiredSecrets { get; } = new Dictionary<string, string>
    {
        ["aliyunAccessKeySecret"] = "test-aliyun-secret",
        ["phoneEncryptionKey"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        ["phoneHashKey"] = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=",
        ["postgresPassword"] = "test-pg-password",
        ["rabbitmqPassword"] = "test-rabbit-password",
    };

    public static async Task<HelmTool> EnsureAsync()
    {
        const string script = "tests/Deployment.Tests/tools/ensure-helm.sh";
        var result = await ProcessRunner.RunAsync("bash", [Repository.PathOf(script.Split('/'))], TimeSpan.FromMinutes(20));
        if (result is null || result.ExitCode != 0)
        {
            throw new XunitException($"{script} could not provide helm and kubectl, so the chart cannot be checked: {result?.Describe() ?? "bash not found"}");
        }

        var paths = result.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        if (!paths.TryGetValue("helm", out var helm) || !File.Exists(helm) || !paths.TryGetValue("kubectl", out var kubectl) || !File.Exists(kubectl))
        {
            throw new XunitException($"{script} did not print existing helm= and kubectl= paths: {result.Describe()}");
        }

        return new HelmTool(helm, kubectl);
    }

    public async Task<ProcessResult> RunAsync(params string[] arguments) =>
        await ProcessRunner.RunAsync(HelmPath, arguments, TimeSpan.FromMinutes(2), environment: environment)
        ?? throw new XunitException($"{HelmPath} could not be started");

    public async Task<ProcessResult> RunKubectlAsync(params string[] arguments) =>
        await ProcessRunner.RunAsync(KubectlPath, arguments, TimeSpan.FromMinutes(2), environment: environment)
        ?? throw new XunitException($"{KubectlPath} could not be started");

    /// <summary>
    /// helm template of the chart with the required secrets (unless <paramref name="withSecrets"/> is
    /// false) and the given extra arguments (--set …, --kube-version …); later arguments win.
    /// </summary>
    public Task<ProcessResult> TemplateRawAsync(IEnumerable<string> arguments, bool withSecrets = true) =>
        RunAsync(["template", Release, ChartPath, "--namespace", Namespace, .. withSecrets ? SecretArguments() : [], .. arguments]);

    /// <summary>helm template that must succeed, parsed into objects.</summary>
    public async Task<Rendered> TemplateAsync(params string[] arguments)
    {
        var result = await TemplateRawAsync(arguments);
        Assert.True(result.ExitCode == 0, $"helm template {string.Join(' ', arguments)} failed: {result.Describe()}");
        return new Rendered(Yaml.LoadDocuments(result.StandardOutput, "helm template output"));
    }

    /// <summary>helm template that must fail; returns its error output.</summary>
    public async Task<string> TemplateFailureAsync(IEnumerable<string> arguments, bool withSecrets = true)
    {
        var result = await TemplateRawAsync(arguments, withSecrets);
        Assert.True(result.ExitCode != 0, $"helm template {string.Join(' ', arguments)} rendered although it should not have: {result.Describe()}");
        return result.StandardError;
    }

    public static IEnumerable<string> SecretArguments(string? except = null) =>
        RequiredSecrets.Where(pair => pair.Key != except).SelectMany(pair => new[] { "--set-string", $"secrets.{pair.Key}={pair.Value}" });
}

/// <summary>The objects of one helm template run.</summary>
internal sealed class Rendered(IReadOnlyList<YamlMappingNode> objects)
{
    public IReadOnlyList<YamlMappingNode> Objects { get; } = objects;

    public IEnumerable<string> Kinds => Objects.Select(o => o.Str("kind"));

    public YamlMappingNode? Find(string kind)
    {
        var matches = Objects.Where(o => o.Str("kind") == kind).ToList();
        Assert.True(matches.Count <= 1, $"{matches.Count} objects of kind {kind}");
        return matches.SingleOrDefault();
    }

    public YamlMappingNode Get(string kind) =>
        Find(kind) ?? throw new XunitException($"no {kind} was rendered (kinds: {string.Join(", ", Kinds)})");

    public YamlMappingNode Deployment => Get("Deployment");

    public YamlMappingNode ApiContainer => (YamlMappingNode)Deployment.At("spec.template.spec.containers[name=api]");
}
