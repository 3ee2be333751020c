using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Entities;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Generated;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>What the generated script leaves on a real server, and that applying it again changes nothing.</summary>
public sealed class MigrationTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    [Fact]
    public void Script_file_the_build_wrote_beside_the_assembly_is_the_generated_script()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "rls", "schema.sql");

        Assert.True(File.Exists(path), $"The build did not write {path}.");
        Assert.Equal(RlsSchemaScript.Sql, File.ReadAllText(path));
    }

    [Fact]
    public async Task Applying_the_script_twice_changes_nothing_and_keeps_the_rows()
    {
        await using var db = await Cluster.CreateEmptyDatabaseAsync();
        await db.Database.MigrateAsync(RlsSchemaScript.Sql);
        var alice = db.NewUser("Alice");
        await using (var session = await db.SignInAsync(alice))
        {
            await new TodoRepository(session).InsertAsync(new Todo { Task = "Survive a migration" });
        }

        var before = await Catalog.SnapshotAsync(db);
        await db.Database.MigrateAsync(RlsSchemaScript.Sql);
        var after = await Catalog.SnapshotAsync(db);

        Assert.Equal(before, after);
        Assert.Contains(before, line => line.StartsWith("table todos", StringComparison.Ordinal));
        await using (var session = await db.SignInAsync(alice))
        {
            Assert.Equal(["Survive a migration"], (await new TodoRepository(session).ListAsync()).Select(t => t.Task));
        }
    }

    [Fact]
    public async Task Every_entity_table_has_row_level_security_and_only_documents_force_it()
    {
        var tables = await Db.OwnerQueryAsync<(string Table, bool Enabled, bool Forced)>(
            """
            SELECT relname::text, relrowsecurity, relforcerowsecurity FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY relname
            """);

        Assert.Equal(
            [("account_invitations", true, false), ("account_members", true, false), ("accounts", true, false),
             ("announcements", true, false), ("comments", true, false), ("documents", true, true), ("listings", true, false), ("memberships", true, false), ("milestones", true, false), ("notes", true, false),
             ("organizations", true, false), ("projects", true, false), ("public_announcements", true, false), ("subscriptions", true, false), ("support_tickets", true, false), ("tasks", true, false), ("todos", true, false)],
            tables);
    }

    [Fact]
    public async Task Policies_follow_drizzles_crud_names_per_role()
    {
        var announcements = await Catalog.PoliciesAsync(Db, "public_announcements");
        var notes = await Catalog.PoliciesAsync(Db, "notes");

        Assert.Equal(
            ["crud-anonymous-policy-select", "crud-authenticated-policy-delete", "crud-authenticated-policy-insert",
             "crud-authenticated-policy-select", "crud-authenticated-policy-update"],
            announcements.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("true", notes.Single(p => p.Command == "SELECT").Using);
        Assert.Equal("(( SELECT auth.user_id() AS user_id) = author_id)", notes.Single(p => p.Command == "DELETE").Using);
    }

    [Fact]
    public async Task Every_owner_column_is_indexed()
    {
        foreach (var (table, column) in new[] { ("todos", "user_id"), ("notes", "author_id"), ("documents", "owner_id"), ("public_announcements", "author_id") })
        {
            var indexes = await Catalog.IndexesAsync(Db, table);
            Assert.Contains(indexes, i => i.Contains($"({column})", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Session_roles_exist_and_cannot_log_in()
    {
        var roles = await Db.OwnerQueryAsync<(string Name, bool CanLogin)>(
            "SELECT rolname::text, rolcanlogin FROM pg_roles WHERE rolname IN ('anonymous', 'authenticated') ORDER BY rolname");

        Assert.Equal([("anonymous", false), ("authenticated", false)], roles);
    }

    [Fact]
    public async Task Auth_functions_are_stable_and_parallel_safe_so_policies_keep_parallel_scans()
    {
        var functions = await Db.OwnerQueryAsync<(string Name, string Volatility, string Parallel)>(
            "SELECT p.proname::text, p.provolatile::text, p.proparallel::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'auth' ORDER BY 1");

        Assert.Equal([("claim", "s", "s"), ("has_permission", "s", "s"), ("jwt", "s", "s"), ("member_tenants", "s", "s"), ("session", "s", "s"), ("uid", "s", "s"), ("user_id", "s", "s")], functions);
    }

    [Fact]
    public async Task Auth_functions_read_the_sessions_validated_claims()
    {
        var alice = Db.NewUser("Alice");
        var uuidUser = new TestUser("Uuid", Guid.NewGuid().ToString());

        var asAlice = await AsAsync(alice, s => s.QuerySingleOrDefaultAsync<(string? UserId, Guid? Uid, string? Sub, string Role)>(
            "SELECT auth.user_id(), auth.uid(), auth.session() ->> 'sub', current_user::text", null, default));
        var asUuid = await AsAsync(uuidUser, s => s.QuerySingleOrDefaultAsync<Guid?>("SELECT auth.uid()", null, default));
        var asNobody = await AsAsync(null, s => s.QuerySingleOrDefaultAsync<(string? UserId, Guid? Uid, string? Jwt, string Role)>(
            "SELECT auth.user_id(), auth.uid(), auth.jwt()::text, current_user::text", null, default));

        Assert.Equal((alice.Id, (Guid?)null, alice.Id, "authenticated"), asAlice);
        Assert.Equal(Guid.Parse(uuidUser.Id), asUuid);
        Assert.Null(asNobody.UserId);
        Assert.Null(asNobody.Uid);
        Assert.True(asNobody.Jwt is null or "null", asNobody.Jwt);
        Assert.Equal("anonymous", asNobody.Role);
    }
}
