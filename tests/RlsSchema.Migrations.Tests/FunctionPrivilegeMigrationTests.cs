extern alias generator;

using System.Linq;
using System.Threading.Tasks;
using generator::RlsSchema.Generator.Emitting;
using generator::RlsSchema.Generator.Migrations;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// A database deployed by an earlier script, which let <c>anonymous</c> execute the membership function, gets that
/// privilege taken back by the next migration: its snapshot did not record that the function's privileges follow the
/// policies, so the migration states them again. A snapshot that records it needs no such step.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FunctionPrivilegeMigrationTests(PostgresFixture fixture)
{
    private const string MemberOf = "id::text = ANY (ARRAY(SELECT auth.member_tenants()::text))";

    // Members read their organizations through the membership function; anonymous reads a page that does not call it.
    private static readonly SchemaModel Model = SchemaOf(
        Memberships(),
        Entity("orgs", [Key(), Column("name", "text")], [Policy("members-read", "SELECT", MemberOf)]),
        Entity("pages", [Key(), Column("body", "text")], [Policy("anyone-reads", "SELECT", "true", null, "anonymous")]));

    [Fact]
    public async Task The_first_migration_over_a_snapshot_that_did_not_record_function_privileges_takes_anonymous_execute_back()
    {
        var model = DatabaseModelBuilder.Build(Model, []);
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, SqlScriptEmitter.Emit(Model));
        // What an earlier script's GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA auth left behind on its second run.
        await Migrations.ExecuteAsync(database.OwnerConnectionString, "GRANT EXECUTE ON FUNCTION auth.member_tenants(text) TO anonymous");
        string current = SnapshotJson.Write(model);
        string earlier = string.Join("\n", current.Split('\n').Where(l => !l.Contains("functionPrivilegesFollowPolicies")));
        bool before = (bool)(await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT has_function_privilege('anonymous', 'auth.member_tenants(text)', 'EXECUTE')"))!;

        var plan = MigrationPlan.Between(SnapshotJson.Read(earlier), model);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, plan.ToSql());

        Assert.NotEqual(current, earlier);
        Assert.True(before);
        Assert.Contains("REVOKE ALL ON FUNCTION auth.member_tenants(text) FROM PUBLIC, anonymous;", plan.ToSql());
        Assert.Equal(false, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT has_function_privilege('anonymous', 'auth.member_tenants(text)', 'EXECUTE')"));
        Assert.Equal(true, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT has_function_privilege('authenticated', 'auth.member_tenants(text)', 'EXECUTE')"));
        Assert.True(MigrationPlan.Between(SnapshotJson.Read(current), model).IsEmpty);
    }
}
