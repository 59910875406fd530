using System.Text.RegularExpressions;
using BindingService.Deployment.Tests.Support;

namespace BindingService.Deployment.Tests;

/// <summary>
/// deploy/helm/bindingservice as files: Chart.yaml and values.yaml parse, and every .Values path the
/// templates use exists in values.yaml. The second is a check on the text because Helm itself does
/// not make one: a misspelt .Values path renders as an empty value without an error (helm lint
/// --strict included). What the chart renders is checked with a real Helm in HelmTemplateTests.
/// </summary>
public sealed partial class HelmChartTests
{
    [Fact]
    public void Chart_yaml_names_a_v2_application_chart()
    {
        var chart = Yaml.LoadMapping(ReadChartFile("Chart.yaml"), "Chart.yaml");

        Assert.Equal("v2", chart.Str("apiVersion"));
        Assert.Equal("bindingservice", chart.Str("name"));
        Assert.Equal("application", chart.Str("type"));
        Assert.Matches(@"^\d+\.\d+\.\d+", chart.Str("version"));
        Assert.False(string.IsNullOrWhiteSpace(chart.Str("appVersion")));
    }

    [Fact]
    public void Every_Values_reference_in_the_templates_is_defined_in_values_yaml()
    {
        var values = Yaml.LoadMapping(ReadChartFile("values.yaml"), "values.yaml");
        var missing = new List<string>();
        var directory = Repository.PathOf([.. HelmTool.ChartDirectory, "templates"]);
        var templates = Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(templates);
        foreach (var path in templates)
        {
            foreach (Match match in ValuesReference().Matches(File.ReadAllText(path)))
            {
                var reference = match.Groups[1].Value.TrimEnd('.');
                if (!values.Has(reference))
                {
                    missing.Add($"{Path.GetFileName(path)}: .Values.{reference}");
                }
            }
        }

        Assert.True(missing.Count == 0, "not in values.yaml:\n" + string.Join('\n', missing.Distinct()));
    }

    private static string ReadChartFile(params string[] parts) => Repository.Read([.. HelmTool.ChartDirectory, .. parts]);

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_.]+)")]
    private static partial Regex ValuesReference();
}
