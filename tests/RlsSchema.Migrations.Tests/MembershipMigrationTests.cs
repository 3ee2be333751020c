extern alias generator;

using System.Threading.Tasks;
using generator::RlsSchema.Generator.Emitting;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;
using RlsSchema.Npgsql;
using RlsSchema.Npgsql.Migrations;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// The membership function (<c>auth.member_tenants</c>) across migrations: replaced in place when its table gains a role
/// column, dropped and created again, with every policy that calls it, when the tenant column's type changes its
/// return type; the database ends as the full script of the last model leaves an empty one, and members still see
/// their organizations.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MembershipMigrationTests(PostgresFixture fixture)
{
    private const string MemberOf = "id::text = ANY (ARRAY(SELECT auth.member_tenants()::text))";

    private static SchemaModel Model(string tenantType, bool withRole) =>
        SchemaOf(Memberships(tenantType, withRole), Entity("orgs", [Key(), Column("name", "text")], [Policy("members-read", "SELECT", MemberOf)]));

    [Fact]
    public async Task The_membership_function_is_replaced_or_recreated_with_its_callers_and_members_still_see_their_organizations()
    {
        var models = new[] { Model("bigint", withRole: false), Model("bigint", withRole: true), Model("text", withRole: true) };
        var migrations = Migrations.From([(models[0], []), (models[1], []), (models[2], [])]);

        Assert.Contains("CREATE OR REPLACE FUNCTION auth.member_tenants(member_role text DEFAULT NULL) RETURNS SETOF bigint", migrations[1].Sql);
        Assert.DoesNotContain("DROP FUNCTION", migrations[1].Sql);
        Assert.Contains("DROP FUNCTION IF EXISTS auth.member_tenants(text);", migrations[2].Sql);
        Assert.Contains("DROP POLICY IF EXISTS \"members-read\" ON orgs;", migrations[2].Sql);
        Assert.Contains("RETURNS SETOF text", migrations[2].Sql);

        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        await migrator.MigrateAsync(migrations[..1]);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, """
            INSERT INTO orgs (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'Acme'), (2, 'Globex');
            INSERT INTO memberships (org_id, user_id) VALUES (1, 'member-1');
            """);
        await migrator.MigrateAsync(migrations);

        var full = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(full.OwnerConnectionString, SqlScriptEmitter.Emit(models[2]));
        var differences = Migrations.Compare(await Migrations.CatalogAsync(full.OwnerConnectionString), await Migrations.CatalogAsync(database.OwnerConnectionString));
        Assert.True(differences.Count == 0, Migrations.Describe(differences));

        await using var data = database.CreateDataSource(fixture.Issuer.ValidationOptions);
        await using var member = await data.OpenSessionAsync(fixture.Issuer.IssueToken("member-1"));
        Assert.Equal(["Acme"], await member.QueryAsync<string>("SELECT name FROM orgs ORDER BY id", null, default));
    }
}
