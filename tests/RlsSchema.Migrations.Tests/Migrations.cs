extern alias generator;

using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using generator::RlsSchema.Generator.Emitting;
using generator::RlsSchema.Generator.Migrations;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;
using RlsSchema.Npgsql;
using RlsSchema.Npgsql.Migrations;

namespace RlsSchema.Migrations.Tests;

/// <summary>Turns a sequence of models into migrations the way <c>rlsschema migrations add</c> does, and reads catalogs.</summary>
internal static class Migrations
{
    /// <summary>
    /// Migration 1 is the first model's full script; migration i is the diff of the snapshot of model i-1 (written to
    /// JSON and read back, as the file goes) against model i with its renames.
    /// </summary>
    public static List<RlsMigration> From(IReadOnlyList<(SchemaModel Schema, IReadOnlyList<RenameInfo> Renames)> models)
    {
        var migrations = new List<RlsMigration>();
        string? snapshot = null;
        for (int i = 0; i < models.Count; i++)
        {
            var current = DatabaseModelBuilder.Build(models[i].Schema, models[i].Renames);
            string sql = snapshot is null
                ? SqlScriptEmitter.Emit(models[i].Schema) + "\n"
                : MigrationPlan.Between(SnapshotJson.Read(snapshot), current).ToSql();
            snapshot = SnapshotJson.Write(current);
            if (sql.Length == 0)
            {
                continue;
            }

            migrations.Add(new RlsMigration(migrations.Count + 1, "M" + (i + 1), sql, RlsMigrator.Checksum(sql)));
        }

        return migrations;
    }

    public static async Task<IReadOnlyList<string>> CatalogAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return global::RlsSchema.Schema.CatalogLines.Of(
            await global::RlsSchema.Schema.CatalogReader.ReadAsync(connection, null, global::RlsSchema.Schema.CatalogScope.Everything, default));
    }

    /// <summary>The catalog lines only one side holds, <c>-</c> for the expected side's and <c>+</c> for the actual side's.</summary>
    public static IReadOnlyList<string> Compare(IReadOnlyList<string> expected, IReadOnlyList<string> actual) =>
        global::RlsSchema.Schema.CatalogLines.Compare(expected, actual);

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is System.DBNull ? null : value;
    }

    public static string Describe(IEnumerable<string> differences) => string.Join("\n", differences.Take(40));
}
