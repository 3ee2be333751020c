extern alias generator;

using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Cli;
using RlsSchema.Npgsql;
using generator::RlsSchema.Generator.Emitting;
using generator::RlsSchema.Generator.Migrations;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// Application SQL in the migration history: hand-written functions, seed rows and grants in an application migration
/// that comes first, before any snapshot, then the model's migrations whose defaults and policies call those functions.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ApplicationMigrationTests(PostgresFixture fixture)
{
    // What a developer writes into the file `rlsschema migrations add AppFunctions --sql` created: a schema, a flag table
    // with a seed row, a function a default calls and one a policy calls, and the session role it grants them to.
    private static readonly string AppSql = MigrationFiles.ApplicationHeader + """
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN; END IF;
        END $$;
        CREATE SCHEMA app;
        CREATE TABLE app.flags (name text primary key, enabled boolean not null);
        INSERT INTO app.flags VALUES ('notes_readable', false);
        CREATE FUNCTION app.default_plan() RETURNS text LANGUAGE sql IMMUTABLE AS $fn$ SELECT 'free' $fn$;
        CREATE FUNCTION app.flag(flag text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
          AS $fn$ SELECT coalesce((SELECT f.enabled FROM app.flags f WHERE f.name = flag), false) $fn$;
        GRANT USAGE ON SCHEMA app TO authenticated;
        GRANT EXECUTE ON FUNCTION app.flag(text) TO authenticated;

        """;

    private static SchemaModel Notes(bool withTitle) => SchemaOf(Entity("notes",
        [Key(), Column("body", "text"), Column("plan", "text", defaultSql: "app.default_plan()"), .. withTitle ? new[] { Column("title", "text", nullable: true) } : []],
        [Policy("read", "SELECT", "app.flag('notes_readable')", null)]));

    // The application migration, then the model's first migration (the full script) and a later model change, numbered after it.
    private static List<RlsMigration> History() =>
    [
        new RlsMigration(1, "AppFunctions", AppSql, MigrationFiles.Checksum(AppSql)),
        .. Migrations.From([(Notes(withTitle: false), []), (Notes(withTitle: true), [])]).Select(m => new RlsMigration(m.Id + 1, m.Name, m.Sql, m.Checksum)),
    ];

    [Fact]
    public void An_application_migration_alone_needs_no_snapshot_and_the_models_first_migration_is_the_full_script()
    {
        MigrationInput[] inputs = [new("/p/Migrations/0001_AppFunctions.sql", "0001_AppFunctions.sql", false, AppSql)];

        var result = MigrationsBuilder.Build(Notes(withTitle: false), ImmutableEquatableArray<RenameInfo>.Empty, inputs.ToImmutableEquatableArray());

        Assert.False(MigrationFiles.IsModelMigration(AppSql));
        Assert.Empty(result.Diagnostics);
        Assert.Equal([1L], result.Migrations.Select(m => m.Id));
        Assert.Equal(SqlScriptEmitter.Emit(Notes(withTitle: false)) + "\n", result.PendingSql);
        Assert.True(MigrationFiles.IsModelMigration(result.PendingSql));
    }

    [Fact]
    public async Task The_models_migrations_follow_an_application_migration_whose_functions_a_default_and_a_policy_call()
    {
        var migrations = History();
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);

        var applied = await migrator.MigrateAsync(migrations);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, "INSERT INTO notes (body) VALUES ('hello')");
        long hidden = await VisibleNotesAsync(database.OwnerConnectionString);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, "UPDATE app.flags SET enabled = true");
        long shown = await VisibleNotesAsync(database.OwnerConnectionString);

        Assert.Equal([1L, 2L, 3L], applied.Select(m => m.Id));
        Assert.Equal("free", await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT plan FROM notes"));
        Assert.Equal(0L, hidden);
        Assert.Equal(1L, shown);
        Assert.Equal(3L, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT count(*) FROM rls_schema.migrations"));
    }

    [Fact]
    public async Task Diff_builds_its_scratch_database_from_the_migrations_and_calls_no_application_object_drift()
    {
        var migrations = History();
        var database = await fixture.Server.CreateDatabaseAsync();
        await using (var migrator = new RlsMigrator(database.OwnerConnectionString))
        {
            await migrator.MigrateAsync(migrations);
        }

        var (differences, plan) = await Commands.CompareWithModelAsync(database.OwnerConnectionString, migrations.Select(m => m.Sql).ToList(), CancellationToken.None);
        var empty = await fixture.Server.CreateDatabaseAsync();
        var scriptAlone = await Assert.ThrowsAsync<PostgresException>(() => Migrations.ExecuteAsync(empty.OwnerConnectionString, SqlScriptEmitter.Emit(Notes(withTitle: true))));

        Assert.True(differences.Count == 0, Migrations.Describe(differences));
        Assert.True(plan.IsEmpty, plan.ToSql());
        Assert.Contains("app", scriptAlone.MessageText);
    }

    // The notes an end user (authenticated) sees, in a rolled-back transaction.
    private static async Task<long> VisibleNotesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("SET LOCAL ROLE authenticated; SELECT count(*) FROM notes", connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
