using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Generated;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Migrations;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Migrating_twice_at_once_and_again_later_succeeds()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var first = database.CreateMigrator();
        await using var second = database.CreateMigrator();

        await Task.WhenAll(first.MigrateAsync(RlsSchemaScript.Sql), second.MigrateAsync(RlsSchemaScript.Sql));
        await first.MigrateAsync(RlsSchemaScript.Sql);

        Assert.Equal(4L, await ScalarAsync(database.OwnerConnectionString, "SELECT count(*) FROM pg_policies WHERE tablename = 'todos'"));
        Assert.Equal(true, await ScalarAsync(database.OwnerConnectionString, "SELECT relrowsecurity FROM pg_class WHERE oid = 'todos'::regclass"));
    }

    [Fact]
    public async Task A_failing_migration_keeps_nothing()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = database.CreateMigrator();

        await Assert.ThrowsAsync<PostgresException>(() =>
            migrator.MigrateAsync("CREATE TABLE half_done (id int); SELECT 1 / 0;"));

        Assert.Null(await ScalarAsync(database.OwnerConnectionString, "SELECT to_regclass('half_done')::text"));
    }

    [Fact]
    public async Task The_session_login_cannot_apply_the_schema_even_through_a_migrator()
    {
        var database = await fixture.DatabaseFor(GetType());
        await using var migrator = new RlsMigrator(database.AuthenticatorConnectionString);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => migrator.MigrateAsync("CREATE TABLE not_yours (id int)"));

        Assert.Equal("42501", refused.SqlState);
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is System.DBNull ? null : value;
    }
}
