using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace RlsSchema.Testing;

/// <summary>Writes a <see cref="PolicyMatrixResult"/> as Markdown, and says which cells two such files disagree on.</summary>
internal static class PolicyMatrixMarkdown
{
    private const string UntestedHeading = "Untested";

    public static string Word(PolicyMatrixOutcome outcome) => outcome switch
    {
        PolicyMatrixOutcome.Allowed => "allowed",
        PolicyMatrixOutcome.Filtered => "filtered",
        _ => "refused",
    };

    public static string Render(PolicyMatrixResult result)
    {
        var text = new StringBuilder();
        text.Append("# Policy matrix\n\n")
            .Append("What each persona may do to each labelled row, as PostgreSQL decided it: `SELECT`, `UPDATE` and `DELETE` of each ")
            .Append("seeded row by its key and `INSERT` of each candidate row, each in a transaction that is rolled back. ")
            .Append("**allowed**: the statement touched the row; **filtered**: no row, no error; **refused**: `42501` ")
            .Append("(no privilege, or a policy's `WITH CHECK` rejected the row).\n\n")
            .Append("Written by `PolicyMatrix` (RlsSchema.Testing) and checked by a test; after an intended change, run the test with `")
            .Append(PolicyMatrixResult.AcceptVariable).Append("=1` to rewrite it.\n");
        foreach (var table in result.Cells.GroupBy(c => c.Table))
        {
            var columns = table.Select(c => (c.Command, c.Row)).Distinct().ToList();
            text.Append("\n## ").Append(table.Key).Append("\n\n| persona |");
            foreach (var (command, row) in columns)
            {
                text.Append(' ').Append(command).Append("<br>").Append(Escape(row)).Append(" |");
            }

            text.Append("\n|---|").Append(string.Concat(Enumerable.Repeat("---|", columns.Count))).Append('\n');
            foreach (var persona in table.GroupBy(c => c.Persona))
            {
                text.Append("| ").Append(Escape(persona.Key)).Append(" |");
                foreach (var cell in persona)
                {
                    text.Append(' ').Append(Word(cell.Outcome)).Append(" |");
                }

                text.Append('\n');
            }
        }

        text.Append("\n## ").Append(UntestedHeading).Append("\n\n");
        if (result.Untested.Count == 0)
        {
            text.Append("Nothing: every command is allowed to some persona and denied to another.\n");
        }

        foreach (var gap in result.Untested)
        {
            text.Append("- `").Append(gap.Table).Append("` ").Append(gap.Command).Append(": ").Append(gap.Reason).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The cells whose outcome changed, appeared or went, then any other line that changed.</summary>
    public static string Diff(string committed, string actual)
    {
        var before = Cells(committed);
        var after = Cells(actual);
        var lines = new List<string>();
        foreach (var (key, was) in before)
        {
            lines.Add(after.TryGetValue(key, out var now)
                ? (now == was ? "" : $"  {key}: was {was}, now {now}")
                : $"  {key}: was {was}, now not in the matrix");
        }

        lines.AddRange(after.Where(a => !before.ContainsKey(a.Key)).Select(a => $"  {a.Key}: new, {a.Value}"));
        var otherBefore = committed.Split('\n').Where(l => !l.StartsWith('|')).ToList();
        var otherAfter = actual.Split('\n').Where(l => !l.StartsWith('|')).ToList();
        lines.AddRange(otherBefore.Except(otherAfter).Select(l => "  - " + l));
        lines.AddRange(otherAfter.Except(otherBefore).Select(l => "  + " + l));
        return string.Join("\n", lines.Where(l => l.Length > 0));
    }

    // "table, persona, COMMAND row" -> outcome, read from the Markdown tables.
    private static Dictionary<string, string> Cells(string markdown)
    {
        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        string table = "";
        List<string>? header = null;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                table = line[3..];
                header = null;
            }
            else if (line.StartsWith('|') && !line.StartsWith("|---", StringComparison.Ordinal))
            {
                var parts = Split(line);
                if (header is null)
                {
                    header = parts;
                    continue;
                }

                for (int i = 1; i < parts.Count && i < header.Count; i++)
                {
                    cells[$"{table}, {parts[0]}, {header[i].Replace("<br>", " ", StringComparison.Ordinal)}"] = parts[i];
                }
            }
        }

        return cells;
    }

    // The cells of a table line, split on | that is not escaped, unescaped and trimmed.
    private static List<string> Split(string line)
    {
        var parts = new List<string>();
        var part = new StringBuilder();
        for (int i = 1; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] == '|')
            {
                part.Append('|');
                i++;
            }
            else if (line[i] == '|')
            {
                parts.Add(part.ToString().Trim());
                part.Clear();
            }
            else
            {
                part.Append(line[i]);
            }
        }

        return parts;
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
