using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;

namespace RlsSchema.Npgsql;

/// <summary>
/// Reads a migrations folder (<c>NNNN_Name.sql</c> files) from disk, the same way the generator embeds it: for tools
/// and for applications that ship the files instead of <c>RlsSchema.Generated.RlsMigrations.All</c>.
/// </summary>
public static partial class RlsMigrationFolder
{
    /// <summary>Reads every <c>NNNN_Name.sql</c> file of the folder, by number.</summary>
    /// <param name="directory">The migrations folder.</param>
    /// <returns>The migrations; empty when the folder does not exist.</returns>
    /// <exception cref="InvalidDataException">A <c>.sql</c> file is not named <c>NNNN_Name.sql</c>, or two files share a number.</exception>
    public static IReadOnlyList<RlsMigration> Read(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var migrations = new List<RlsMigration>();
        if (!Directory.Exists(directory))
        {
            return migrations;
        }

        var byId = new Dictionary<long, string>();
        var files = Directory.GetFiles(directory, "*.sql");
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var path in files)
        {
            var name = Path.GetFileName(path);
            var match = FileName().Match(name);
            if (!match.Success || long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var id && id <= 0)
            {
                throw new InvalidDataException($"Migration file '{path}' is not named NNNN_Name.sql (a number, an underscore, a name of letters, digits and underscores); rename it.");
            }

            if (byId.TryGetValue(id, out var other))
            {
                throw new InvalidDataException($"Migrations '{other}' and '{name}' have the same number; renumber the newer one.");
            }

            byId[id] = name;
            var sql = Normalize(File.ReadAllText(path));
            migrations.Add(new RlsMigration(id, match.Groups[2].Value, sql, RlsMigrator.Checksum(sql)));
        }

        migrations.Sort((a, b) => a.Id.CompareTo(b.Id));
        return migrations;
    }

    /// <summary>The file name of a migration: its number in four digits, an underscore, its name, <c>.sql</c>.</summary>
    /// <param name="id">The number.</param>
    /// <param name="name">The name.</param>
    /// <returns>The file name.</returns>
    public static string FileNameOf(long id, string name) => id.ToString("D4", CultureInfo.InvariantCulture) + "_" + name + ".sql";

    // Checksums must not depend on the checkout's line ends or a byte order mark (the generator does the same).
    private static string Normalize(string text) => text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal);

    [GeneratedRegex("^([0-9]{4,9})_([A-Za-z_][A-Za-z0-9_]*)\\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
