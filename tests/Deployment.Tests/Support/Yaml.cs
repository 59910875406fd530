using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Sdk;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BindingService.Deployment.Tests.Support;

/// <summary>
/// YAML documents (YamlDotNet's representation model) with short paths into them:
/// <c>spec.template.spec.containers[name=api].livenessProbe.httpGet.path</c>, where a segment is a
/// mapping key, <c>[3]</c> a sequence index, <c>[name=api]</c> the sequence item whose <c>name</c> is
/// <c>api</c>, and <c>['app.kubernetes.io/name']</c> a key holding dots. A missing path fails the test
/// with the path and the document it was looked up in.
/// </summary>
internal static partial class Yaml
{
    /// <summary>Every non-empty document of a multi-document stream; each must be a mapping.</summary>
    public static IReadOnlyList<YamlMappingNode> LoadDocuments(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new XunitException($"{source} is not valid YAML: {e.Message}");
        }

        var documents = new List<YamlMappingNode>();
        foreach (var document in stream.Documents)
        {
            switch (document.RootNode)
            {
                case YamlMappingNode mapping:
                    documents.Add(mapping);
                    break;
                case YamlScalarNode { Value: null or "" }:
                    break; // an empty document (only comments)
                default:
                    throw new XunitException($"{source}: a document is a {document.RootNode.NodeType}, not a mapping");
            }
        }

        return documents;
    }

    /// <summary>A single-document file whose root is a mapping.</summary>
    public static YamlMappingNode LoadMapping(string text, string source)
    {
        var documents = LoadDocuments(text, source);
        return documents.Count == 1 ? documents[0] : throw new XunitException($"{source}: expected one document, found {documents.Count}");
    }

    public static YamlNode? Find(this YamlNode node, string path)
    {
        var current = node;
        foreach (var segment in Segments(path))
        {
            current = segment switch
            {
                { Index: { } index } => current is YamlSequenceNode sequence && index < sequence.Children.Count ? sequence.Children[index] : null,
                { SelectKey: { } key } => current is YamlSequenceNode sequence
                    ? sequence.Children.SingleOrDefault(item => item is YamlMappingNode m && m.Find(key) is YamlScalarNode s && s.Value == segment.SelectValue)
                    : null,
                _ => current is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(segment.Key), out var child) ? child : null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    public static bool Has(this YamlNode node, string path) => node.Find(path) is not null;

    public static YamlNode At(this YamlNode node, string path) =>
        node.Find(path) ?? throw new XunitException($"'{path}' is not in {Describe(node)}");

    public static YamlMappingNode Map(this YamlNode node, string path) =>
        node.At(path) as YamlMappingNode ?? throw new XunitException($"'{path}' is not a mapping in {Describe(node)}");

    public static IReadOnlyList<YamlNode> Seq(this YamlNode node, string path) =>
        (node.At(path) as YamlSequenceNode ?? throw new XunitException($"'{path}' is not a sequence in {Describe(node)}")).Children.ToList();

    public static YamlScalarNode Scalar(this YamlNode node, string path) =>
        node.At(path) as YamlScalarNode ?? throw new XunitException($"'{path}' is not a scalar in {Describe(node)}");

    /// <summary>The text of a scalar, whatever its type.</summary>
    public static string Str(this YamlNode node, string path) => node.Scalar(path).Value ?? string.Empty;

    /// <summary>A scalar that YAML reads as an integer (plain, not quoted): what Kubernetes needs for an int field.</summary>
    public static int Int(this YamlNode node, string path)
    {
        var scalar = node.Scalar(path);
        Assert.True(
            scalar.Style == ScalarStyle.Plain && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            $"'{path}' must be an integer, is {scalar.Style} '{scalar.Value}'");
        return int.Parse(scalar.Value!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <summary>A scalar that YAML reads as a boolean (plain true/false).</summary>
    public static bool Bool(this YamlNode node, string path)
    {
        var scalar = node.Scalar(path);
        Assert.True(
            scalar.Style == ScalarStyle.Plain && scalar.Value is "true" or "false",
            $"'{path}' must be a boolean, is {scalar.Style} '{scalar.Value}'");
        return scalar.Value == "true";
    }

    /// <summary>The strings of a sequence of scalars.</summary>
    public static IReadOnlyList<string> Strings(this YamlNode node, string path) =>
        node.Seq(path).Select((item, i) => (item as YamlScalarNode)?.Value ?? throw new XunitException($"'{path}[{i}]' is not a scalar")).ToList();

    /// <summary>A mapping of scalars (labels, annotations, data) as a dictionary; an absent path is empty.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this YamlNode node, string path)
    {
        if (node.Find(path) is not { } found)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var mapping = found as YamlMappingNode ?? throw new XunitException($"'{path}' is not a mapping in {Describe(node)}");
        return mapping.Children.ToDictionary(
            pair => ((YamlScalarNode)pair.Key).Value!,
            pair => (pair.Value as YamlScalarNode)?.Value ?? throw new XunitException($"'{path}.{pair.Key}' is not a scalar"),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether a scalar is a string under YAML's core schema (what Kubernetes and Compose decode):
    /// quoted, or plain text that does not read as null, a boolean or a number.
    /// </summary>
    public static bool IsString(YamlScalarNode scalar) =>
        scalar.Style != ScalarStyle.Plain || !NonStringPlainScalar().IsMatch(scalar.Value ?? string.Empty);

    /// <summary>The document as YAML text, for failure messages.</summary>
    public static string Describe(YamlNode node)
    {
        var text = new StringBuilder();
        new YamlStream(new YamlDocument(node)).Save(new StringWriter(text), assignAnchors: false);
        var result = text.ToString();
        return result.Length > 3000 ? result[..3000] + "\n…" : result;
    }

    private sealed record Segment(string Key, int? Index = null, string? SelectKey = null, string? SelectValue = null);

    private static IEnumerable<Segment> Segments(string path)
    {
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                continue;
            }

            if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0)
                {
                    throw new ArgumentException($"unterminated '[' in '{path}'", nameof(path));
                }

                var inner = path[(i + 1)..end];
                i = end + 1;
                if (inner.Length >= 2 && inner[0] == '\'' && inner[^1] == '\'')
                {
                    yield return new Segment(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    yield return new Segment(string.Empty, Index: index);
                }
                else if (inner.Split('=', 2) is [var key, var value])
                {
                    yield return new Segment(string.Empty, SelectKey: key, SelectValue: value);
                }
                else
                {
                    throw new ArgumentException($"bad segment '[{inner}]' in '{path}'", nameof(path));
                }

                continue;
            }

            var stop = path.IndexOfAny(['.', '['], i);
            stop = stop < 0 ? path.Length : stop;
            yield return new Segment(path[i..stop]);
            i = stop;
        }
    }

    // YAML 1.2 core schema: null, booleans, integers (decimal, octal, hex), floats, infinities and NaN;
    // plus YAML 1.1's yes/no/on/off, which some decoders still read as booleans.
    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|)$")]
    private static partial Regex NonStringPlainScalar();
}
