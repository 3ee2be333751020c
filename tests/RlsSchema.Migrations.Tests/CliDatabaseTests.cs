extern alias generator;

using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Cli;
using generator::RlsSchema.Generator.Emitting;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary><c>rlsschema diff</c> and <c>rlsschema lint</c> against real databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CliDatabaseTests(PostgresFixture fixture)
{
    private static readonly SchemaModel Model = SchemaOf(Entity("notes",
        [Key(), Column("owner", "text", defaultSql: "auth.user_id()"), Column("body", "text")],
        [Policy("own", "ALL", "(select auth.user_id()) = owner", null)],
        [new IndexModel("notes_owner_idx", new[] { "owner" }.ToImmutableEquatableArray(), false)]));

    [Fact]
    public async Task Diff_finds_nothing_on_a_database_built_from_the_model()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        string script = SqlScriptEmitter.Emit(Model);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);

        var (differences, plan) = await Commands.CompareWithModelAsync(database.OwnerConnectionString, script, CancellationToken.None);

        Assert.Empty(differences);
        Assert.True(plan.IsEmpty, plan.ToSql());
    }

    [Fact]
    public async Task Diff_finds_drift_and_its_SQL_brings_the_database_back_to_the_model()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        string script = SqlScriptEmitter.Emit(Model);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, """
            INSERT INTO notes (owner, body) VALUES ('a', 'kept');
            ALTER POLICY own ON notes USING (true);
            CREATE POLICY stale ON notes FOR INSERT TO authenticated WITH CHECK (true);
            ALTER TABLE notes ALTER COLUMN body DROP NOT NULL;
            DROP INDEX notes_owner_idx;
            """);

        var (differences, plan) = await Commands.CompareWithModelAsync(database.OwnerConnectionString, script, CancellationToken.None);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, plan.ToSql());
        var (after, _) = await Commands.CompareWithModelAsync(database.OwnerConnectionString, script, CancellationToken.None);

        Assert.Contains(differences, d => d.StartsWith("+ policy public.notes stale"));
        Assert.Contains(differences, d => d.StartsWith("- index public.notes notes_owner_idx"));
        Assert.Contains("DROP POLICY IF EXISTS \"stale\" ON notes;", plan.ToSql());
        Assert.Empty(after);
        Assert.Equal("kept", await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT body FROM notes"));
        Assert.Equal(0L, await Migrations.ScalarAsync(fixture.Server.ConnectionString, "SELECT count(*) FROM pg_database WHERE datname LIKE 'rlsschema_diff_%'"));
    }

    [Fact]
    public async Task Diff_sees_a_dropped_foreign_key_a_widened_grant_and_a_replaced_membership_function_and_puts_them_back()
    {
        var memberships = Memberships() with
        {
            ForeignKeys = new[] { new ForeignKeyModel { PropertyNames = new[] { "OrgId" }.ToImmutableEquatableArray(), PrincipalEntity = "global::M.E_orgs", OnDelete = generator::RlsSchema.ReferentialAction.Cascade } }.ToImmutableEquatableArray(),
        };
        var orgs = Entity("orgs", [Key(), Column("name", "text")], [Policy("members-read", "SELECT", "id = ANY (ARRAY(SELECT auth.member_tenants()))")]);
        string script = SqlScriptEmitter.Emit(SchemaOf(memberships, orgs));
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);
        var (clean, _) = await Commands.CompareWithModelAsync(database.OwnerConnectionString, script, CancellationToken.None);
        Assert.Empty(clean);

        await Migrations.ExecuteAsync(database.OwnerConnectionString, """
            ALTER TABLE memberships DROP CONSTRAINT memberships_org_id_fkey;
            GRANT DELETE ON orgs TO authenticated;
            CREATE OR REPLACE FUNCTION auth.member_tenants(member_role text DEFAULT NULL) RETURNS SETOF bigint
              LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $fn$ SELECT o.id FROM public.orgs o $fn$;
            """);

        var (differences, plan) = await Commands.CompareWithModelAsync(database.OwnerConnectionString, script, CancellationToken.None);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, plan.ToSql());
        var (after, _) = await Commands.CompareWithModelAsync(database.OwnerConnectionString, script, CancellationToken.None);

        Assert.Contains(differences, d => d.StartsWith("- constraint public.memberships FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE", System.StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("+ grant public.orgs authenticated", System.StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Contains("auth.member_tenants(text)", System.StringComparison.Ordinal));
        Assert.Contains("ADD CONSTRAINT memberships_org_id_fkey FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE;", plan.ToSql());
        Assert.Contains("REVOKE DELETE ON orgs FROM authenticated;", plan.ToSql());
        Assert.True(after.Count == 0, string.Join("\n", after));
    }

    [Fact]
    public async Task Lint_reports_each_kind_of_finding_and_errors_for_a_public_table_without_rls()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, SqlScriptEmitter.Emit(Model));
        await Migrations.ExecuteAsync(database.OwnerConnectionString, """
            CREATE TABLE open_table (id int primary key);
            CREATE TABLE off_with_policy (id int primary key, owner text);
            CREATE POLICY p ON off_with_policy USING (true);
            CREATE TABLE locked (id int primary key);
            ALTER TABLE locked ENABLE ROW LEVEL SECURITY;
            CREATE TABLE per_row (id int primary key, owner text, parent int REFERENCES locked (id));
            ALTER TABLE per_row ENABLE ROW LEVEL SECURITY;
            CREATE POLICY per_row_read ON per_row FOR SELECT TO authenticated USING (auth.user_id() = owner);
            CREATE POLICY per_row_read_too ON per_row FOR SELECT TO authenticated USING (owner = 'x');
            CREATE POLICY anyone_writes ON per_row FOR UPDATE TO authenticated, anonymous USING (true);
            GRANT SELECT, INSERT, UPDATE, DELETE ON per_row TO authenticated, anonymous;
            CREATE FUNCTION definer() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;
            """);
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();

        var findings = await Linter.RunAsync(connection, CancellationToken.None);
        var found = findings.Select(f => (f.Id, f.Level, f.Object)).ToList();

        Assert.Contains(("rls_disabled_in_public", LintLevel.Error, "open_table"), found);
        Assert.Contains(("policy_exists_rls_disabled", LintLevel.Error, "off_with_policy"), found);
        Assert.Contains(("rls_enabled_no_policy", LintLevel.Info, "locked"), found);
        Assert.Contains(("auth_rls_initplan", LintLevel.Warning, "per_row policy \"per_row_read\""), found);
        Assert.Contains(("always_true_modify_policy", LintLevel.Warning, "per_row policy \"anyone_writes\""), found);
        Assert.Contains(("multiple_permissive_policies", LintLevel.Warning, "per_row authenticated SELECT"), found);
        Assert.Contains(("unindexed_policy_column", LintLevel.Warning, "per_row.owner"), found);
        Assert.Contains(("unindexed_foreign_keys", LintLevel.Info, "per_row per_row_parent_fkey"), found);
        Assert.Contains(("function_search_path_mutable", LintLevel.Warning, "definer()"), found);
        Assert.Contains(("anonymous_can_write", LintLevel.Warning, "per_row"), found);
        Assert.DoesNotContain(findings, f => f.Object.StartsWith("notes"));
        Assert.All(findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Fix)));
    }

    [Fact]
    public async Task Lint_reads_a_write_granted_on_some_columns_only_as_a_write()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, SqlScriptEmitter.Emit(Model));
        await Migrations.ExecuteAsync(database.OwnerConnectionString, """
            CREATE TABLE guestbook (id int primary key, body text, author text);
            ALTER TABLE guestbook ENABLE ROW LEVEL SECURITY;
            CREATE POLICY anyone_reads ON guestbook FOR SELECT TO anonymous USING (true);
            CREATE POLICY anyone_edits ON guestbook FOR UPDATE TO anonymous USING (true);
            GRANT SELECT, UPDATE (body) ON guestbook TO anonymous;
            """);
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();

        var findings = await Linter.RunAsync(connection, CancellationToken.None);

        var write = Assert.Single(findings, f => f.Id == "anonymous_can_write" && f.Object == "guestbook");
        Assert.Contains("UPDATE", write.Detail);
        Assert.Contains("REVOKE UPDATE ON guestbook FROM anonymous;", write.Fix);
    }
}
