using System;
using System.Collections.Generic;
using System.IO;
using RlsSchema.Schema;

namespace RlsSchema.Npgsql;

/// <summary>
/// Reads a migrations folder (<c>NNNN_Name.sql</c> files) from disk, the same way the generator embeds it: for tools
/// and for applications that ship the files instead of <c>RlsSchema.Generated.RlsMigrations.All</c>.
/// </summary>
public static class RlsMigrationFolder
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
            if (!MigrationFiles.TryParseFileName(name, out var id, out var migrationName))
            {
                throw new InvalidDataException($"Migration file '{path}' is not named NNNN_Name.sql (a number, an underscore, a name of letters, digits and underscores); rename it.");
            }

            if (byId.TryGetValue(id, out var other))
            {
                throw new InvalidDataException($"Migrations '{other}' and '{name}' have the same number; renumber the newer one.");
            }

            byId[id] = name;
            var sql = MigrationFiles.Normalize(File.ReadAllText(path));
            migrations.Add(new RlsMigration(id, migrationName, sql, MigrationFiles.Checksum(sql)));
        }

        migrations.Sort((a, b) => a.Id.CompareTo(b.Id));
        return migrations;
    }

    /// <summary>The file name of a migration: its number in four digits, an underscore, its name, <c>.sql</c>.</summary>
    /// <param name="id">The number.</param>
    /// <param name="name">The name.</param>
    /// <returns>The file name.</returns>
    internal static string FileNameOf(long id, string name) => MigrationFiles.FileNameOf(id, name);
}
