extern alias generator;

using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using generator::RlsSchema.Generator.Migrations;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;
using RlsSchema.Npgsql;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// <c>[Immutable]</c> and <c>[ServerGenerated]</c> columns as column-level grants: what the model holds, what the
/// snapshot keeps, what a migration changes, and what the catalog reader reads back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProtectedColumnMigrationTests(PostgresFixture fixture)
{
    private static readonly PolicyModel Own = Policy("own", "ALL", "(select auth.user_id()) = owner", null);

    private static EntityModel Notes(ColumnProtection owner = ColumnProtection.None, ColumnProtection stamped = ColumnProtection.None) =>
        Entity("notes", [
            Key(),
            Column("owner", "text", defaultSql: "auth.user_id()") with { Protection = owner },
            Column("body", "text"),
            Column("stamped_at", "timestamptz", defaultSql: "now()") with { Protection = stamped },
        ], [Own]);

    private static GrantDefinition GrantOf(DatabaseModel model, string role) =>
        model.Tables.Single(t => t.Name == "notes").Grants.Single(g => g.Role == role);

    [Fact]
    public void An_immutable_column_leaves_update_to_the_other_columns_and_insert_to_every_column()
    {
        var model = DatabaseModelBuilder.Build(SchemaOf(Notes(owner: ColumnProtection.Immutable)), []);

        Assert.Equal(["DELETE", "INSERT", "SELECT", "UPDATE (body, id, stamped_at)"], GrantOf(model, "authenticated").Privileges);
    }

    [Fact]
    public void A_server_generated_column_is_left_out_of_insert_and_update()
    {
        var model = DatabaseModelBuilder.Build(SchemaOf(Notes(owner: ColumnProtection.Immutable, stamped: ColumnProtection.ServerGenerated)), []);

        Assert.Equal(["DELETE", "INSERT (body, id, owner)", "SELECT", "UPDATE (body, id)"], GrantOf(model, "authenticated").Privileges);
    }

    [Fact]
    public void The_snapshot_keeps_column_grants_and_a_model_diffed_against_its_own_snapshot_needs_no_migration()
    {
        var model = DatabaseModelBuilder.Build(SchemaOf(Notes(owner: ColumnProtection.Immutable, stamped: ColumnProtection.ServerGenerated)), []);

        var read = SnapshotJson.Read(SnapshotJson.Write(model));

        Assert.Equal(GrantOf(model, "authenticated"), GrantOf(read, "authenticated"));
        Assert.True(MigrationPlan.Between(read, model).IsEmpty);
    }

    [Fact]
    public async Task Adding_immutable_later_migrates_the_update_grant_and_the_end_user_can_no_longer_change_the_column()
    {
        var migrations = Migrations.From([(SchemaOf(Notes()), []), (SchemaOf(Notes(owner: ColumnProtection.Immutable)), [])]);
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        await migrator.MigrateAsync(migrations[..1]);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, "INSERT INTO notes (owner, body) VALUES ('user_a', 'kept')");
        string before = await UpdateAsAsync(database.OwnerConnectionString, "UPDATE notes SET owner = 'user_a'");
        await migrator.MigrateAsync(migrations);
        string after = await UpdateAsAsync(database.OwnerConnectionString, "UPDATE notes SET owner = 'user_a'");
        string body = await UpdateAsAsync(database.OwnerConnectionString, "UPDATE notes SET body = 'changed'");

        Assert.Equal(2, migrations.Count);
        Assert.Contains("REVOKE UPDATE ON notes FROM authenticated;", migrations[1].Sql);
        Assert.Contains("GRANT UPDATE (body, id, stamped_at) ON notes TO authenticated;", migrations[1].Sql);
        Assert.Equal("updated", before);
        Assert.Equal("42501", after);
        Assert.Equal("updated", body);
        Assert.Equal("user_a", await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT owner FROM notes"));
    }

    [Fact]
    public async Task The_catalog_reader_reads_column_grants_as_the_model_holds_them()
    {
        var model = DatabaseModelBuilder.Build(SchemaOf(Notes(owner: ColumnProtection.Immutable, stamped: ColumnProtection.ServerGenerated)), []);
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, ScriptWriter.Write(model));

        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        var read = await global::RlsSchema.Schema.CatalogReader.ReadAsync(connection, null, global::RlsSchema.Schema.CatalogScope.Everything, default);
        // The model as the tool holds it (the runtime's copy of the schema engine), through its snapshot.
        var expected = global::RlsSchema.Schema.SnapshotJson.Read(SnapshotJson.Write(model));
        var readGrant = read.Tables.Single(t => t.Name == "notes").Grants.Single(g => g.Role == "authenticated");

        Assert.Equal(GrantOf(model, "authenticated").Privileges, readGrant.Privileges);
        Assert.Empty(global::RlsSchema.Schema.MigrationPlan.Between(read, expected).Operations.OfType<global::RlsSchema.Schema.GrantOperation>());
        Assert.Empty(global::RlsSchema.Schema.MigrationPlan.Between(read, expected).Operations.OfType<global::RlsSchema.Schema.RevokeOperation>());
    }

    [Fact]
    public async Task A_renamed_column_keeps_its_column_grant_and_a_dropped_one_loses_it()
    {
        EntityModel With(string body, bool stamped) => Entity("notes", [
            Key(),
            Column("owner", "text", defaultSql: "auth.user_id()") with { Protection = ColumnProtection.Immutable },
            Column(body, "text"),
            .. stamped ? new[] { Column("stamped_at", "timestamptz", defaultSql: "now()") } : [],
        ], [Own]);
        var migrations = Migrations.From([(SchemaOf(With("body", stamped: true)), []), (SchemaOf(With("content", stamped: false)), [new("global::M.E_notes", "content", "body")])]);
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);

        await migrator.MigrateAsync(migrations);

        Assert.Equal(2, migrations.Count);
        Assert.Equal(true, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT has_column_privilege('authenticated', 'notes', 'content', 'UPDATE')"));
        Assert.Equal(false, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT has_column_privilege('authenticated', 'notes', 'owner', 'UPDATE')"));
    }

    // Runs an update as an end user (authenticated, signed in as user_a) in a rolled-back transaction: "updated", or the SQLSTATE.
    private static async Task<string> UpdateAsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var setUp = new NpgsqlCommand("SELECT set_config('request.jwt.claim.sub', 'user_a', true), set_config('role', 'authenticated', true)", connection, transaction))
        {
            await setUp.ExecuteNonQueryAsync();
        }

        try
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            int rows = await command.ExecuteNonQueryAsync();
            Assert.Equal(1, rows);
            return "updated";
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }
}
