using System.Globalization;
using System.Text;
using Npgsql;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// Looks for phone numbers in clear, in text the service wrote (its log) and in its whole database: every column of
/// every table of a schema, found through the catalogue, so a table added later is scanned with no change here.
/// Text columns (text, varchar, json, jsonb) are read as they are; bytea keeps its ASCII digits (a number stored as
/// bytes in clear shows as its digits, ciphertext as noise broken by separators); any other type by its text form.
/// Counts only: a leaked number is never printed again.
/// </summary>
public static class PrivacyScan
{
    /// <summary>The length of the numbers looked for (mainland mobile numbers).</summary>
    public const int NumberLength = 11;

    /// <summary>Every base table of <paramref name="schema"/>, each as the text of all its rows and columns.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> DatabaseAsTextAsync(string connectionString, string schema = "public")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = @schema AND table_type = 'BASE TABLE' ORDER BY table_name", connection))
        {
            list.Parameters.AddWithValue("schema", schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var builder = new StringBuilder();
            await using var select = new NpgsqlCommand($"SELECT * FROM \"{schema}\".\"{table}\"", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    Append(builder, reader.GetValue(i));
                    builder.Append('\t');
                }

                builder.Append('\n');
            }

            text[table] = builder.ToString();
        }

        return text;
    }

    /// <summary>How many of <paramref name="numbers"/> occur in <paramref name="text"/> (as a run of digits or inside one).</summary>
    public static int CountLeaked(string text, IEnumerable<string> numbers)
    {
        var windows = DigitWindows(text);
        return numbers.Count(windows.Contains);
    }

    /// <summary>
    /// Every 11-digit window of every run of digits in <paramref name="text"/>: a number (11 digits) occurs in the text
    /// exactly when it is one of these. One pass over the text, instead of one per number.
    /// </summary>
    public static HashSet<string> DigitWindows(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var windows = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var digit = i < text.Length && char.IsAsciiDigit(text[i]);
            if (digit && start < 0)
            {
                start = i;
            }
            else if (!digit && start >= 0)
            {
                for (var j = start; j + NumberLength <= i; j++)
                {
                    windows.Add(text.Substring(j, NumberLength));
                }

                start = -1;
            }
        }

        return windows;
    }

    private static void Append(StringBuilder builder, object value)
    {
        switch (value)
        {
            case DBNull:
                break;
            case string s:
                builder.Append(s);
                break;
            case byte[] bytes:
                foreach (var b in bytes)
                {
                    builder.Append(b is >= (byte)'0' and <= (byte)'9' ? (char)b : ' ');
                }

                break;
            case System.Collections.IEnumerable items: // arrays (text[], …)
                foreach (var item in items)
                {
                    Append(builder, item ?? DBNull.Value);
                    builder.Append(' ');
                }

                break;
            default:
                builder.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
