extern alias generator;

using System.Threading.Tasks;
using generator::RlsSchema.Generator.Migrations;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// A multi-tenant app renames a policy while tightening it (members may update projects -> only admins may) and deletes
/// another (members may insert tasks). After migrating, the old policies are gone and a member is refused both.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PolicyTrialTests(PostgresFixture fixture)
{
    private const string MemberOf = "id IN (SELECT m.project_id FROM project_members m WHERE m.user_id = (select auth.user_id()))";
    private const string AdminOf = "id IN (SELECT m.project_id FROM project_members m WHERE m.user_id = (select auth.user_id()) AND m.role = 'admin')";
    private const string TaskInMemberProject = "project_id IN (SELECT m.project_id FROM project_members m WHERE m.user_id = (select auth.user_id()))";

    private static readonly EntityModel Members = Entity("project_members",
        [Key(), Column("project_id", "bigint"), Column("user_id", "text"), Column("role", "text", defaultSql: "'member'")],
        [Policy("members-select-own", "SELECT", "user_id = (select auth.user_id())")]);

    private static SchemaModel Before() => SchemaOf(
        Members,
        Entity("projects", [Key(), Column("name", "text")],
            [Policy("projects-select-members", "SELECT", MemberOf), Policy("projects-update-members", "UPDATE", MemberOf, MemberOf)]),
        Entity("tasks", [Key(), Column("project_id", "bigint"), Column("title", "text")],
            [Policy("tasks-select-members", "SELECT", TaskInMemberProject), Policy("tasks-insert-members", "INSERT", null, TaskInMemberProject)]));

    private static SchemaModel After() => SchemaOf(
        Members,
        Entity("projects", [Key(), Column("name", "text")],
            [Policy("projects-select-members", "SELECT", MemberOf), Policy("projects-update-admins", "UPDATE", AdminOf, AdminOf)]),
        Entity("tasks", [Key(), Column("project_id", "bigint"), Column("title", "text")],
            [Policy("tasks-select-members", "SELECT", TaskInMemberProject)]));

    [Fact]
    public async Task Renamed_and_deleted_policies_are_gone_after_migrating_and_the_member_is_refused()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        var migrations = Migrations.From([(Before(), []), (After(), [])]);
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        await migrator.MigrateAsync(migrations[..1]);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, """
            INSERT INTO projects (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'Apollo');
            INSERT INTO project_members (project_id, user_id, role) VALUES (1, 'member-1', 'member'), (1, 'admin-1', 'admin');
            """);
        await using var data = database.CreateDataSource(fixture.Issuer.ValidationOptions);

        // Before: the member may rename the project and add tasks (the test would fail if the migration did nothing).
        await using (var member = await data.OpenSessionAsync(fixture.Issuer.IssueToken("member-1")))
        {
            Assert.Equal(1, await member.ExecuteAsync("UPDATE projects SET name = 'Apollo 2' WHERE id = 1", null, default));
            Assert.Equal(1, await member.ExecuteAsync("INSERT INTO tasks (project_id, title) VALUES (1, 'before')", null, default));
        }

        var applied = await migrator.MigrateAsync(migrations);

        Assert.Single(applied);
        Assert.Contains("DROP POLICY IF EXISTS \"projects-update-members\" ON projects;", applied[0].Sql);
        Assert.Contains("DROP POLICY IF EXISTS \"tasks-insert-members\" ON tasks;", applied[0].Sql);
        Assert.Equal("members-select-own,projects-select-members,projects-update-admins,tasks-select-members",
            await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT string_agg(policyname, ',' ORDER BY policyname) FROM pg_policies"));
        await using (var member = await data.OpenSessionAsync(fixture.Issuer.IssueToken("member-1")))
        {
            Assert.Equal(0, await member.ExecuteAsync("UPDATE projects SET name = 'Hijacked' WHERE id = 1", null, default));
            var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => member.ExecuteAsync("INSERT INTO tasks (project_id, title) VALUES (1, 'after')", null, default));
            Assert.Equal("42501", refused.SqlState);
        }

        await using (var admin = await data.OpenSessionAsync(fixture.Issuer.IssueToken("admin-1")))
        {
            Assert.Equal(1, await admin.ExecuteAsync("UPDATE projects SET name = 'Apollo 3' WHERE id = 1", null, default));
        }

        Assert.Equal("Apollo 3", await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT name FROM projects"));
        Assert.Equal(1L, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT count(*) FROM tasks"));
    }
}
