using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Npgsql.Migrations;
using RlsSchema.Schema;

namespace RlsSchema.Cli;

internal static partial class Commands
{
    public static async Task<int> DiffAsync(ToolConsole console, string? project, string? connection, CancellationToken cancellationToken)
    {
        var live = PostgresConnectionString.ToNpgsql(RequireConnection(connection));
        var info = await ProjectInfo.LocateAsync(project, cancellationToken);
        await info.BuildAsync(console, cancellationToken);
        var script = info.ReadOutput("schema.sql")
            ?? throw new CliException($"The build wrote no schema.sql to {info.OutputDirectory}: does the project have RlsSchema entities?");

        // The migrations, then what the model adds to them, build the scratch database: the application SQL among them
        // (functions a policy or a default calls, triggers, seed rows) exists there as in the live database.
        var migrations = RlsMigrationFolder.Read(info.MigrationsDirectory);
        var scripts = migrations.Count == 0
            ? [script]
            : migrations.Select(m => m.Sql).Append(info.ReadOutput("pending.sql") ?? "").Where(s => s.Trim().Length > 0).ToList();
        console.Progress(migrations.Count == 0
            ? "Applying the model's script to a scratch database on the same server ..."
            : "Applying the migrations and the model's pending changes to a scratch database on the same server ...");
        var (differences, plan) = await CompareWithModelAsync(live, scripts, cancellationToken);
        if (differences.Count == 0)
        {
            console.Output.WriteLine("The database matches the model.");
            return 0;
        }

        console.Output.WriteLine($"The database differs from the model in {differences.Count} place{(differences.Count == 1 ? "" : "s")} (- the model has, + only the database has):");
        foreach (var line in differences)
        {
            console.Output.WriteLine("  " + line);
        }

        console.Output.WriteLine();
        console.Output.WriteLine(plan.IsEmpty
            ? "-- No statement of the model's kinds brings the database to the model; the differences above need a hand-written migration."
            : "-- The SQL that brings the database to the model:\n" + plan.ToSql().TrimEnd('\n'));
        return 1;
    }

    /// <summary>
    /// Compares a live database with what <paramref name="script"/> builds in an empty database on the same server:
    /// the catalog lines only one side holds, and the statements that bring the live database to the script's model.
    /// The live database is read as far as the model declares (<see cref="CatalogScope.Of"/>): another schema's tables,
    /// roles the model never named and functions it did not create are not drift.
    /// </summary>
    public static Task<(System.Collections.Generic.IReadOnlyList<string> Differences, MigrationPlan Plan)> CompareWithModelAsync(
        string live, string script, CancellationToken cancellationToken) => CompareWithModelAsync(live, [script], cancellationToken);

    /// <summary>Compares a live database with what <paramref name="scripts"/>, applied in order, build in an empty database on the same server.</summary>
    public static async Task<(System.Collections.Generic.IReadOnlyList<string> Differences, MigrationPlan Plan)> CompareWithModelAsync(
        string live, System.Collections.Generic.IReadOnlyList<string> scripts, CancellationToken cancellationToken)
    {
        await using var liveConnection = new NpgsqlConnection(live);
        await liveConnection.OpenAsync(cancellationToken);
        var expected = await ReadScratchAsync(liveConnection, live, scripts, cancellationToken);
        var actual = await CatalogReader.ReadAsync(liveConnection, null, CatalogScope.Of(expected), cancellationToken);
        return (CatalogLines.Compare(CatalogLines.Of(expected), CatalogLines.Of(actual)), MigrationPlan.Between(actual, expected));
    }

    private static async Task<DatabaseModel> ReadScratchAsync(
        NpgsqlConnection liveConnection, string live, System.Collections.Generic.IReadOnlyList<string> scripts, CancellationToken cancellationToken)
    {
        var name = "rlsschema_diff_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        try
        {
            await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0", liveConnection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new CliException("The diff applies the model's script to a scratch database on the same server, and this connection's role may not create databases (CREATEDB). Connect as a role that may.");
        }

        try
        {
            var scratch = new NpgsqlConnectionStringBuilder(live) { Database = name, Pooling = false }.ConnectionString;
            await using var connection = new NpgsqlConnection(scratch);
            await connection.OpenAsync(cancellationToken);
            foreach (var script in scripts)
            {
                await using var apply = new NpgsqlCommand(script, connection);
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }

            return await CatalogReader.ReadAsync(connection, null, CatalogScope.Everything, cancellationToken);
        }
        finally
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", liveConnection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
