using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Npgsql.Migrations;
using RlsSchema.Schema;

namespace RlsSchema.Cli;

/// <summary>What each verb does; parsing and error printing live in Program.</summary>
internal static partial class Commands
{
    public static async Task<int> AddMigrationAsync(ToolConsole console, string name, string? project, CancellationToken cancellationToken)
    {
        RequireMigrationName(name);
        var info = await ProjectInfo.LocateAsync(project, cancellationToken);
        var existing = RlsMigrationFolder.Read(info.MigrationsDirectory);
        await info.BuildAsync(console, cancellationToken);
        var modelJson = info.ReadOutput("model.json")
            ?? throw new CliException($"The build wrote no model to {info.OutputDirectory}: does the project have RlsSchema entities, and is RlsSchemaWriteScript not false?");
        var snapshotFile = Path.Combine(info.MigrationsDirectory, MigrationFiles.SnapshotFileName);
        if (existing.Any(m => MigrationFiles.IsModelMigration(m.Sql)) && !File.Exists(snapshotFile))
        {
            throw new CliException($"{snapshotFile} is missing beside the migrations: restore it from version control (it records the model as of the latest migration).");
        }

        var model = ReadModel(modelJson, Path.Combine(info.OutputDirectory, "model.json"));
        var snapshot = File.Exists(snapshotFile) ? ReadModel(await File.ReadAllTextAsync(snapshotFile, cancellationToken), snapshotFile) : null;

        // The first migration is the full script, which also adopts a database made from it; later ones are the diff.
        var operations = ModelDiffer.Diff(snapshot ?? DatabaseModel.Empty, model);
        if (operations.Count == 0)
        {
            console.Output.WriteLine($"No changes: the model matches {snapshotFile}. Nothing was written.");
            return 0;
        }

        // The access report heads the file, for the reviewer: who may do more, or less, once it is applied.
        var report = AccessReport.Of(snapshot ?? DatabaseModel.Empty, operations);
        var sql = report.ToComment() + (snapshot is null ? ScriptWriter.Write(operations) + "\n" : new MigrationPlan(operations.ToImmutableEquatableArray()).ToSql());
        long id = existing.Count == 0 ? 1 : existing[^1].Id + 1;
        Directory.CreateDirectory(info.MigrationsDirectory);
        var file = Path.Combine(info.MigrationsDirectory, MigrationFiles.FileNameOf(id, name));
        await File.WriteAllTextAsync(file, sql, cancellationToken);
        await File.WriteAllTextAsync(snapshotFile, SnapshotJson.Write(model), cancellationToken);
        console.Output.WriteLine($"Wrote {file} and {MigrationFiles.SnapshotFileName}.");
        console.Output.Write(report.ToComment());
        foreach (var loss in operations.Where(o => o.IsDestructive).Select(o => o.DataLoss))
        {
            console.Warning("the migration " + loss + "; review it before applying it.");
        }

        return 0;
    }

    private static void RequireMigrationName(string name)
    {
        if (!MigrationName().IsMatch(name))
        {
            throw new CliException($"'{name.ReplaceLineEndings(" ")}' is not a migration name: use letters, digits and underscores, starting with a letter (e.g. AddDueOn).");
        }
    }

    private static DatabaseModel ReadModel(string json, string path)
    {
        try
        {
            return SnapshotJson.Read(json);
        }
        catch (FormatException e)
        {
            throw new CliException($"{path} is not a model this version of rlsschema reads: {e.Message}.");
        }
    }

    public static async Task<int> ListMigrationsAsync(ToolConsole console, string? project, string? connection, CancellationToken cancellationToken)
    {
        var info = await ProjectInfo.LocateAsync(project, cancellationToken);
        var migrations = RlsMigrationFolder.Read(info.MigrationsDirectory);
        if (migrations.Count == 0)
        {
            console.Output.WriteLine($"No migrations in {info.MigrationsDirectory}. Run 'dotnet rlsschema migrations add Initial' to write the first.");
            return 0;
        }

        var url = connection ?? Environment.GetEnvironmentVariable("DATABASE_URL");
        if (url is null)
        {
            foreach (var m in migrations)
            {
                console.Output.WriteLine(m.ToString());
            }

            console.Progress("(no database given: pass --connection or set DATABASE_URL to see which are applied)");
            return 0;
        }

        await using var migrator = new RlsMigrator(url);
        foreach (var status in await migrator.ListAsync(migrations, cancellationToken))
        {
            console.Output.WriteLine($"{status.Migration,-40} {(status.AppliedAt is { } at ? "applied " + at.ToUniversalTime().ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "pending")}");
        }

        return 0;
    }

    public static async Task<int> MigrateAsync(ToolConsole console, string? project, string? connection, CancellationToken cancellationToken)
    {
        var info = await ProjectInfo.LocateAsync(project, cancellationToken);
        var migrations = RlsMigrationFolder.Read(info.MigrationsDirectory);
        if (migrations.Count == 0)
        {
            throw new CliException($"No migrations in {info.MigrationsDirectory}: run 'dotnet rlsschema migrations add Initial' first.");
        }

        await using var migrator = new RlsMigrator(RequireConnection(connection));
        var applied = await migrator.MigrateAsync(migrations, new Progress(console), cancellationToken);
        console.Output.WriteLine(applied.Count == 0
            ? "The database is up to date."
            : $"Applied {applied.Count} migration{(applied.Count == 1 ? "" : "s")}: {string.Join(", ", applied)}.");
        return 0;
    }

    public static string RequireConnection(string? connection) =>
        connection ?? Environment.GetEnvironmentVariable("DATABASE_URL")
        ?? throw new CliException("No database given: pass --connection <url> or set DATABASE_URL (a postgres:// URL or an Npgsql connection string).");

    // \z, not $: $ also matches before a final line break, and 'Evil\n' would become a file name.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex MigrationName();

    // Reported synchronously, in order: Progress<T> would post to the thread pool and could print after the summary.
    private sealed class Progress(ToolConsole console) : IProgress<RlsMigration>
    {
        public void Report(RlsMigration value) => console.Progress($"Applying {value} ...");
    }
}
