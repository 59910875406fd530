using System.Globalization;
using System.Text.RegularExpressions;

namespace BindingService.Deployment.Tests.Support;

/// <summary>
/// A strict reader for the block-style YAML subset our chart's Chart.yaml and values.yaml use:
/// nested mappings, sequences ("- item", "- key: value"), plain and quoted scalars, comments, and the
/// empty flow collections {} and []. Anything else (tabs, bad indentation, duplicate keys, anchors,
/// block scalars, flow collections with content) is rejected with a FormatException naming the line,
/// so a test that parses a file also checks that it stays simple and well-formed.
/// Mappings are <see cref="Dictionary{TKey,TValue}"/> (string → object?), sequences
/// <see cref="List{T}"/> (object?), scalars strings (null for ~, null or nothing).
/// </summary>
internal static partial class MiniYaml
{
    private sealed record Line(int Number, int Indent, string Text);

    public static Dictionary<string, object?> ParseMapping(string yaml, string source)
    {
        var lines = Tokenize(yaml, source);
        if (lines.Count == 0)
        {
            return [];
        }

        var index = 0;
        if (lines[0].Indent != 0)
        {
            throw Error(source, lines[0], "the document must start at column 1");
        }

        var node = ParseNode(lines, ref index, 0, source);
        if (index != lines.Count)
        {
            throw Error(source, lines[index], "unexpected indentation");
        }

        return node as Dictionary<string, object?> ?? throw new FormatException($"{source}: the document is not a mapping");
    }

    /// <summary>The value at a dotted path ("image.repository"), or throws KeyNotFoundException.</summary>
    public static object? Get(Dictionary<string, object?> root, string path)
    {
        object? current = root;
        foreach (var part in path.Split('.'))
        {
            if (current is not Dictionary<string, object?> map || !map.TryGetValue(part, out current))
            {
                throw new KeyNotFoundException($"'{path}' is not in the document (at '{part}')");
            }
        }

        return current;
    }

    public static bool Has(Dictionary<string, object?> root, string path)
    {
        try
        {
            Get(root, path);
            return true;
        }
        catch (KeyNotFoundException)
        {
            return false;
        }
    }

    private static List<Line> Tokenize(string yaml, string source)
    {
        var result = new List<Line>();
        var rawLines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < rawLines.Length; i++)
        {
            var raw = rawLines[i];
            var number = i + 1;
            if (raw.Contains('\t', StringComparison.Ordinal))
            {
                throw new FormatException($"{source}:{number}: tab character (YAML indents with spaces)");
            }

            var text = StripComment(raw).TrimEnd();
            if (text.Length == 0 || text == "---")
            {
                continue;
            }

            var indent = text.Length - text.TrimStart(' ').Length;
            result.Add(new Line(number, indent, text.TrimStart(' ')));
        }

        return result;
    }

    private static string StripComment(string line)
    {
        var inSingle = false;
        var inDouble = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'' && !inDouble)
            {
                inSingle = !inSingle;
            }
            else if (c == '"' && !inSingle && (i == 0 || line[i - 1] != '\\'))
            {
                inDouble = !inDouble;
            }
            else if (c == '#' && !inSingle && !inDouble && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static object? ParseNode(List<Line> lines, ref int index, int indent, string source) =>
        IsSequenceItem(lines[index].Text)
            ? ParseSequence(lines, ref index, indent, source)
            : ParseMap(lines, ref index, indent, source);

    private static bool IsSequenceItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    private static Dictionary<string, object?> ParseMap(List<Line> lines, ref int index, int indent, string source)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (index < lines.Count && lines[index].Indent == indent && !IsSequenceItem(lines[index].Text))
        {
            var line = lines[index];
            var (key, rest) = SplitKey(line, source);
            if (!map.TryAdd(key, null))
            {
                throw Error(source, line, $"duplicate key '{key}'");
            }

            index++;
            if (rest.Length > 0)
            {
                map[key] = Scalar(rest, line, source);
                continue;
            }

            if (index < lines.Count && lines[index].Indent > indent)
            {
                map[key] = ParseNode(lines, ref index, lines[index].Indent, source);
            }
            else if (index < lines.Count && lines[index].Indent == indent && IsSequenceItem(lines[index].Text))
            {
                // A sequence may sit at its key's own indentation.
                map[key] = ParseSequence(lines, ref index, indent, source);
            }
        }

        if (index < lines.Count && lines[index].Indent > indent)
        {
            throw Error(source, lines[index], "unexpected indentation");
        }

        return map;
    }

    private static List<object?> ParseSequence(List<Line> lines, ref int index, int indent, string source)
    {
        var list = new List<object?>();
        while (index < lines.Count && lines[index].Indent == indent && IsSequenceItem(lines[index].Text))
        {
            var line = lines[index];
            var rest = line.Text.Length > 1 ? line.Text[2..].TrimStart(' ') : string.Empty;
            if (rest.Length == 0)
            {
                index++;
                list.Add(index < lines.Count && lines[index].Indent > indent
                    ? ParseNode(lines, ref index, lines[index].Indent, source)
                    : null);
                continue;
            }

            if (LooksLikeKey(rest))
            {
                // "- key: value" starts a mapping whose keys line up with "key".
                var itemIndent = line.Indent + (line.Text.Length - rest.Length);
                lines[index] = line with { Indent = itemIndent, Text = rest };
                list.Add(ParseMap(lines, ref index, itemIndent, source));
                continue;
            }

            list.Add(Scalar(rest, line, source));
            index++;
        }

        return list;
    }

    private static bool LooksLikeKey(string text) => KeyPattern().IsMatch(text);

    private static (string Key, string Value) SplitKey(Line line, string source)
    {
        var match = KeyPattern().Match(line.Text);
        if (!match.Success)
        {
            throw Error(source, line, "expected 'key: value'");
        }

        var key = match.Groups["key"].Value;
        if (key.Length >= 2 && (key[0] == '"' || key[0] == '\'') && key[^1] == key[0])
        {
            key = key[1..^1];
        }

        return (key, line.Text[match.Length..].Trim());
    }

    private static object? Scalar(string text, Line line, string source)
    {
        switch (text)
        {
            case "{}":
                return new Dictionary<string, object?>(StringComparer.Ordinal);
            case "[]":
                return new List<object?>();
            case "~" or "null":
                return null;
        }

        if (text[0] is '&' or '*' or '|' or '>' or '!' or '{' or '[' or '%' or '@' or '`')
        {
            throw Error(source, line, $"unsupported YAML construct '{text}'");
        }

        if (text[0] is '"' or '\'')
        {
            if (text.Length < 2 || text[^1] != text[0])
            {
                throw Error(source, line, "unterminated quoted string");
            }

            var inner = text[1..^1];
            return text[0] == '"'
                ? inner.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal)
                : inner.Replace("''", "'", StringComparison.Ordinal);
        }

        if (text.Contains(": ", StringComparison.Ordinal))
        {
            throw Error(source, line, $"a plain scalar may not contain ': ' ('{text}'); quote it");
        }

        return text;
    }

    public static int AsInt(object? value, string what) =>
        int.TryParse(value as string, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"{what} is not an integer: '{value}'");

    private static FormatException Error(string source, Line line, string message) =>
        new($"{source}:{line.Number}: {message}: {line.Text}");

    [GeneratedRegex("""^(?<key>"[^"]*"|'[^']*'|[^\s"'#:\-][^:]*?|-[^\s:][^:]*?)\s*:(?=\s|$)""")]
    private static partial Regex KeyPattern();
}
