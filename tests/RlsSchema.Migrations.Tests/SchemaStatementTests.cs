extern alias generator;

using System.Text.RegularExpressions;
using System.Threading.Tasks;
using generator::RlsSchema.Generator.Emitting;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary>A schema other than <c>public</c> holding several tables is created, and each role let into it, once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SchemaStatementTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_schema_with_two_tables_is_created_and_granted_once_per_role()
    {
        var read = Policy("read", "SELECT", "true", null, "authenticated", "anonymous");
        var schema = SchemaOf(
            Entity("posts", [Key(), Column("title", "text")], [read]) with { Schema = "blog" },
            Entity("tags", [Key(), Column("name", "text")], [read]) with { Schema = "blog" });

        string script = SqlScriptEmitter.Emit(schema);
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);

        Assert.Single(Regex.Matches(script, @"CREATE SCHEMA IF NOT EXISTS blog;"));
        Assert.Single(Regex.Matches(script, @"GRANT USAGE ON SCHEMA blog TO authenticated;"));
        Assert.Single(Regex.Matches(script, @"GRANT USAGE ON SCHEMA blog TO anonymous;"));
        Assert.Equal(true, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT has_table_privilege('anonymous', 'blog.tags', 'SELECT') AND has_schema_privilege('anonymous', 'blog', 'USAGE')"));
    }
}
