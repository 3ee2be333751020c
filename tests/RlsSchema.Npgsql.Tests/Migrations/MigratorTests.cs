using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Generated;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Migrations;

[Collection(PostgresCollection.Name)]
public sealed class MigratorTests(PostgresFixture fixture)
{
    private static readonly RlsMigration Initial = Migration(1, "Initial", RlsSchemaScript.Sql);
    private static readonly RlsMigration AddDueOn = Migration(2, "AddDueOn", "ALTER TABLE todos ADD COLUMN due_on date;");
    private static readonly RlsMigration AddNotes = Migration(3, "AddNotes", "ALTER TABLE todos ADD COLUMN notes text NOT NULL DEFAULT '';");

    [Fact]
    public async Task Pending_migrations_apply_in_order_and_are_recorded_once()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);

        var first = await migrator.MigrateAsync([AddDueOn, Initial]);
        var second = await migrator.MigrateAsync([Initial, AddDueOn, AddNotes]);
        var third = await migrator.MigrateAsync([Initial, AddDueOn, AddNotes]);

        Assert.Equal([1L, 2L], first.Select(m => m.Id));
        Assert.Equal([3L], second.Select(m => m.Id));
        Assert.Empty(third);
        Assert.Equal("1 Initial,2 AddDueOn,3 AddNotes", await ScalarAsync(database.OwnerConnectionString,
            "SELECT string_agg(id || ' ' || name, ',' ORDER BY id) FROM rls_schema.migrations"));
        Assert.Equal(AddNotes.Checksum, await ScalarAsync(database.OwnerConnectionString, "SELECT checksum FROM rls_schema.migrations WHERE id = 3"));
        Assert.Equal("date", await ScalarAsync(database.OwnerConnectionString,
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'todos'::regclass AND attname = 'due_on'"));
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_once()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        var migrations = new[] { Initial, AddDueOn, AddNotes };
        var migrators = Enumerable.Range(0, 4).Select(_ => new RlsMigrator(database.OwnerConnectionString)).ToList();
        try
        {
            var results = await Task.WhenAll(migrators.Select(m => m.MigrateAsync(migrations)));

            Assert.Equal(3, results.Sum(r => r.Count));
            Assert.Equal(3L, await ScalarAsync(database.OwnerConnectionString, "SELECT count(*) FROM rls_schema.migrations"));
        }
        finally
        {
            foreach (var migrator in migrators)
            {
                await migrator.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_changed_applied_migration_is_refused_and_nothing_pending_is_applied()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        await migrator.MigrateAsync([Initial, AddDueOn]);
        var edited = Migration(2, "AddDueOn", "ALTER TABLE todos ADD COLUMN due_on timestamptz;");

        var error = await Assert.ThrowsAsync<RlsMigrationException>(() => migrator.MigrateAsync([Initial, edited, AddNotes]));

        Assert.Contains("0002_AddDueOn", error.Message);
        Assert.Contains("restore the file", error.Message);
        Assert.Null(await ScalarAsync(database.OwnerConnectionString, "SELECT attname::text FROM pg_attribute WHERE attrelid = 'todos'::regclass AND attname = 'notes'"));
    }

    [Fact]
    public async Task A_database_holding_migrations_the_application_does_not_know_is_refused()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        await migrator.MigrateAsync([Initial, AddDueOn]);

        var error = await Assert.ThrowsAsync<RlsMigrationException>(() => migrator.MigrateAsync([Initial, AddNotes]));
        var listError = await Assert.ThrowsAsync<RlsMigrationException>(() => migrator.ListAsync([Initial]));

        Assert.Contains("does not know: 0002_AddDueOn", error.Message);
        Assert.Contains("0002_AddDueOn", listError.Message);
        Assert.Equal(2L, await ScalarAsync(database.OwnerConnectionString, "SELECT count(*) FROM rls_schema.migrations"));
    }

    [Fact]
    public async Task A_pending_migration_older_than_an_applied_one_is_refused()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        await migrator.MigrateAsync([Initial, AddNotes]);

        var error = await Assert.ThrowsAsync<RlsMigrationException>(() => migrator.MigrateAsync([Initial, AddDueOn, AddNotes]));

        Assert.Contains("0002_AddDueOn is pending but the later migration 0003_AddNotes", error.Message);
    }

    [Fact]
    public async Task A_failing_migration_keeps_nothing_and_the_earlier_ones_stay()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        var failing = Migration(2, "Broken", "ALTER TABLE todos ADD COLUMN half_done int; SELECT 1 / 0;");

        await Assert.ThrowsAsync<PostgresException>(() => migrator.MigrateAsync([Initial, failing, AddNotes]));

        Assert.Equal(1L, await ScalarAsync(database.OwnerConnectionString, "SELECT count(*) FROM rls_schema.migrations"));
        Assert.Null(await ScalarAsync(database.OwnerConnectionString, "SELECT attname::text FROM pg_attribute WHERE attrelid = 'todos'::regclass AND attname IN ('half_done', 'notes')"));
    }

    [Fact]
    public async Task A_migration_calling_a_function_no_earlier_migration_created_is_refused_naming_the_function()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        var callsFlag = Migration(2, "FlaggedTodos", """
            CREATE POLICY "flagged" ON todos AS RESTRICTIVE FOR SELECT TO authenticated USING ((select app.feature_enabled('todos')));
            """);
        var createsFlag = Migration(2, "FeatureFlags", """
            CREATE SCHEMA app;
            CREATE FUNCTION app.feature_enabled(feature text) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT feature = 'todos' $$;
            """);
        var callsFlagLater = Migration(3, "FlaggedTodos", callsFlag.Sql);
        await migrator.MigrateAsync([Initial]);

        var withoutSchema = await Assert.ThrowsAsync<RlsMigrationException>(() => migrator.MigrateAsync([Initial, callsFlag]));
        await ExecuteAsync(database.OwnerConnectionString, "CREATE SCHEMA app");
        var error = await Assert.ThrowsAsync<RlsMigrationException>(() => migrator.MigrateAsync([Initial, callsFlag]));
        await ExecuteAsync(database.OwnerConnectionString, "DROP SCHEMA app");
        var applied = await migrator.MigrateAsync([Initial, createsFlag, callsFlagLater]);

        Assert.Contains("0002_FlaggedTodos", withoutSchema.Message);
        Assert.Contains("schema \"app\" does not exist", withoutSchema.Message);
        Assert.Contains("0002_FlaggedTodos calls the function app.feature_enabled(unknown), which does not exist", error.Message);
        Assert.Contains("earlier (application) migration", error.Message);
        Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal([2L, 3L], applied.Select(m => m.Id));
    }

    [Fact]
    public async Task A_database_created_from_the_script_is_adopted_and_keeps_its_rows()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await database.MigrateAsync(RlsSchemaScript.Sql);

        await ExecuteAsync(database.OwnerConnectionString, "INSERT INTO todos (user_id, task) VALUES ('alice', 'kept')");
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);

        var applied = await migrator.MigrateAsync([Initial, AddDueOn]);

        Assert.Equal([1L, 2L], applied.Select(m => m.Id));
        Assert.Equal("kept", await ScalarAsync(database.OwnerConnectionString, "SELECT task FROM todos"));
    }

    [Fact]
    public async Task A_database_whose_tables_differ_from_the_first_migration_is_not_adopted()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await ExecuteAsync(database.OwnerConnectionString, "CREATE TABLE todos (id bigint primary key, user_id text, task text)");
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);

        var error = await Assert.ThrowsAsync<RlsMigrationException>(() => migrator.MigrateAsync([Initial]));

        Assert.Contains("already holds tables that migration 0001_Initial would change", error.Message);
        Assert.Contains("policy public.todos", error.Message);
        Assert.Null(await ScalarAsync(database.OwnerConnectionString, "SELECT to_regclass('rls_schema.migrations')::text"));
        Assert.Equal(false, await ScalarAsync(database.OwnerConnectionString, "SELECT relrowsecurity FROM pg_class WHERE oid = 'todos'::regclass"));
    }

    [Fact]
    public async Task Session_roles_read_the_applied_ids_but_not_the_history_table()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using (var migrator = new RlsMigrator(database.OwnerConnectionString))
        {
            await migrator.MigrateAsync([Initial, AddDueOn]);
        }

        await using var dataSource = database.CreateDataSource();
        await using var session = await dataSource.OpenAnonymousSessionAsync();

        var ids = await session.QueryAsync<long>("SELECT * FROM rls_schema.applied_migration_ids()", null, default);
        var error = await Assert.ThrowsAsync<RlsAuthorizationException>(() => session.QueryAsync<string>("SELECT name FROM rls_schema.migrations", null, default));

        Assert.Equal([1L, 2L], ids);
        Assert.Equal("42501", error.SqlState);
    }

    [Fact]
    public async Task Listing_shows_applied_and_pending_migrations()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        await migrator.MigrateAsync([Initial]);

        var statuses = await migrator.ListAsync([Initial, AddDueOn]);

        Assert.Equal([true, false], statuses.Select(s => s.IsApplied));
    }

    private static RlsMigration Migration(long id, string name, string sql) => new(id, name, sql, RlsMigrator.Checksum(sql));

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }
}
