using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RlsSchema.EfCore.Conformance.Tests.Infrastructure;

/// <summary>A difference the README accepts, and why.</summary>
public sealed record AcceptedDifference(SchemaDifference Difference, string Reason);

/// <summary>Reads the accepted-differences table of this project's README.md.</summary>
public static class AcceptedDifferences
{
    private const string Header = "| subject | aspect | EF Core | RlsSchema | why |";

    public static IReadOnlyList<AcceptedDifference> Read()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "README.md"));
        int start = Array.IndexOf(lines, Header);
        if (start < 0)
        {
            throw new InvalidOperationException("README.md has no table starting with '" + Header + "'.");
        }

        var accepted = new List<AcceptedDifference>();
        foreach (var line in lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim().Trim('`')).ToArray();
            if (cells.Length != 5 || cells[4].Length == 0)
            {
                throw new InvalidOperationException("README.md: a row of the accepted differences needs five cells and a reason: " + line);
            }

            accepted.Add(new(new SchemaDifference(cells[0], cells[1], cells[2], cells[3]), cells[4]));
        }

        return accepted;
    }
}
