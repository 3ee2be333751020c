using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Npgsql;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// Every privilege the samples' scripts leave in the catalog (on tables, columns, functions, schemas, and default
/// privileges) is the same after one run and after two, and the membership function is executable only by the roles
/// whose policies call it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ScriptPrivilegeTests(PostgresFixture fixture)
{
    private const string Privileges = """
        SELECT 'table ' || c.oid::regclass::text || ' ' || coalesce(c.relacl::text, '-')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        UNION ALL
        SELECT 'column ' || c.oid::regclass::text || '.' || a.attname || ' ' || a.attacl::text
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE a.attacl IS NOT NULL AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'function ' || p.oid::regprocedure::text || ' ' || coalesce(p.proacl::text, '-')
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'schema ' || n.nspname || ' ' || coalesce(n.nspacl::text, '-')
        FROM pg_namespace n WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
        UNION ALL
        SELECT 'default ' || d.defaclrole::regrole::text || ' ' || d.defaclobjtype::text || ' ' || d.defaclacl::text FROM pg_default_acl d
        ORDER BY 1
        """;

    [Theory]
    [InlineData("Todos")]
    [InlineData("Teams")]
    public async Task Every_privilege_is_the_same_after_the_script_runs_once_and_twice(string sample)
    {
        string script = await File.ReadAllTextAsync(ScriptEquivalenceTests.BuiltScript(sample));
        var database = await fixture.Server.CreateDatabaseAsync();

        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);
        var once = await LinesAsync(database.OwnerConnectionString, Privileges);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);
        var twice = await LinesAsync(database.OwnerConnectionString, Privileges);

        Assert.Contains(once, line => line.StartsWith("function auth.user_id() ", System.StringComparison.Ordinal) && line.Contains("authenticated=X/"));
        Assert.Equal(once, twice);
    }

    [Fact]
    public async Task Anonymous_cannot_execute_the_membership_function_that_no_policy_of_its_calls_even_after_a_second_run()
    {
        string script = await File.ReadAllTextAsync(ScriptEquivalenceTests.BuiltScript("Teams"));
        var database = await fixture.Server.CreateDatabaseAsync();

        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);

        Assert.Equal(false, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT has_function_privilege('anonymous', 'auth.member_tenants(text)', 'EXECUTE')"));
        Assert.Equal(true, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT has_function_privilege('authenticated', 'auth.member_tenants(text)', 'EXECUTE')"));
        Assert.Equal(true, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT has_function_privilege('anonymous', 'auth.user_id()', 'EXECUTE')"));
    }

    [Fact]
    public async Task A_script_over_a_database_where_anonymous_could_execute_the_membership_function_takes_that_back()
    {
        string script = await File.ReadAllTextAsync(ScriptEquivalenceTests.BuiltScript("Teams"));
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA auth TO anonymous");

        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);

        Assert.Equal(false, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT has_function_privilege('anonymous', 'auth.member_tenants(text)', 'EXECUTE')"));
    }

    [Fact]
    public void A_role_a_later_model_adds_is_granted_the_auth_functions_which_are_not_replaced()
    {
        var before = SchemaOf(Entity("notes", [Key(), Column("owner", "text")], [Policy("own", "ALL", "(select auth.user_id()) = owner")]));
        var after = SchemaOf(Entity("notes", [Key(), Column("owner", "text")], [Policy("own", "ALL", "(select auth.user_id()) = owner"), Policy("read", "SELECT", "true", null, "editor")]));

        string sql = Migrations.From([(before, []), (after, [])])[1].Sql;

        Assert.Contains("GRANT EXECUTE ON FUNCTION auth.uid() TO anonymous, authenticated, editor;", sql);
        Assert.DoesNotContain("CREATE OR REPLACE FUNCTION", sql);
        Assert.DoesNotContain("ALL FUNCTIONS", sql);
    }

    [Fact]
    public async Task Auth_uid_reads_the_subject_setting_first_as_auth_user_id_does()
    {
        string script = await File.ReadAllTextAsync(ScriptEquivalenceTests.BuiltScript("Todos"));
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);
        const string subject = "3f2b8c1e-7d4a-4e6b-9a1c-2d5e8f0a1b2c";

        const string other = "6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
        string claims = "SELECT set_config('request.jwt.claims', '{\"sub\":\"" + other + "\"}', false)";
        string setting = "SELECT set_config('request.jwt.claim.sub', '" + subject + "', false)";

        Assert.Equal(subject + " " + subject, await SubjectAsync(database.OwnerConnectionString, setting));
        Assert.Equal(subject + " " + subject, await SubjectAsync(database.OwnerConnectionString, claims + "; " + setting));
        Assert.Equal(other + " " + other, await SubjectAsync(database.OwnerConnectionString, claims));
        Assert.Equal("null user_01", await SubjectAsync(database.OwnerConnectionString, "SELECT set_config('request.jwt.claim.sub', 'user_01', false)"));
    }

    // auth.uid() and auth.user_id() after the settings, in one session.
    private static async Task<string> SubjectAsync(string connectionString, string settings)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var set = new NpgsqlCommand(settings, connection))
        {
            await set.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("SELECT coalesce(auth.uid()::text, 'null') || ' ' || coalesce(auth.user_id(), 'null')", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> LinesAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}
