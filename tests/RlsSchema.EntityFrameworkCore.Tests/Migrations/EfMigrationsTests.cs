using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.EntityFrameworkCore.Tests.Migrations;

/// <summary>
/// <c>migrations add</c>, <c>database update</c> and <c>migrations script</c> of an EF Core app with <c>UseRlsSchema()</c>,
/// run in process on a real server: the migrations carry the row-level security of the annotated entities.
/// </summary>
[Collection(MigrationsCollection.Name)]
public sealed class EfMigrationsTests(MigrationsFixture fixture)
{
    private const string PoliciesSql = "SELECT policyname FROM pg_policies WHERE tablename = 'notes' ORDER BY 1";

    [Fact]
    public async Task Update_applies_the_first_migration_with_row_level_security_policies_grants_the_auth_functions_and_RlsSchemas_defaults_checks_and_indexes()
    {
        TestDatabase database = await fixture.Server.CreateDatabaseAsync();
        var project = new EfProject { Entities = [NoteSources.Owner] };
        ScaffoldedMigration initial;
        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            initial = project.Add(context, "M1Initial");
        }

        Assert.Contains("RlsSchema:Model", initial.SnapshotCode, StringComparison.Ordinal);
        Assert.Contains("RlsSchema:Model", initial.MigrationCode, StringComparison.Ordinal);
        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            await context.Database.MigrateAsync();
        }

        string cs = database.OwnerConnectionString;
        Assert.Equal(["true false"], await MigrationsFixture.QueryAsync(cs, "SELECT relrowsecurity::text || ' ' || relforcerowsecurity::text FROM pg_class WHERE oid = 'public.notes'::regclass"));
        Assert.Equal(
            ["crud-authenticated-policy-delete", "crud-authenticated-policy-insert", "crud-authenticated-policy-select", "crud-authenticated-policy-update"],
            await MigrationsFixture.QueryAsync(cs, PoliciesSql));
        Assert.Equal(["DELETE", "INSERT", "SELECT", "UPDATE"], await MigrationsFixture.QueryAsync(cs,
            "SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'notes' AND grantee = 'authenticated' ORDER BY 1"));
        Assert.Equal(["auth.user_id()"], await MigrationsFixture.QueryAsync(cs,
            "SELECT column_default FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'user_id'"));
        Assert.Equal(["notes_text_check"], await MigrationsFixture.QueryAsync(cs,
            "SELECT conname FROM pg_constraint WHERE contype = 'c' AND conrelid = 'public.notes'::regclass"));
        Assert.Equal(["1"], await MigrationsFixture.QueryAsync(cs, "SELECT count(*) FROM pg_indexes WHERE tablename = 'notes' AND indexdef LIKE '%(user_id)'"));
        Assert.Equal(["true"], await MigrationsFixture.QueryAsync(cs, "SELECT (to_regprocedure('auth.user_id()') IS NOT NULL)::text"));
    }

    [Fact]
    public async Task A_policy_change_alone_produces_a_migration_that_update_applies()
    {
        TestDatabase database = await fixture.Server.CreateDatabaseAsync();
        var project = await MigratedAsync(database, NoteSources.Owner);
        project.Entities = [NoteSources.EveryoneReads];
        var changed = project.Build();
        using (DbContext context = project.Context(changed, database.OwnerConnectionString))
        {
            Assert.True(context.Database.HasPendingModelChanges());
        }

        ScaffoldedMigration change;
        using (DbContext context = project.Context(changed, database.OwnerConnectionString))
        {
            change = project.Add(context, "M2EveryoneReads");
        }

        Assert.Contains("AlterDatabase()", change.MigrationCode, StringComparison.Ordinal);
        Assert.DoesNotContain("CreateTable", change.MigrationCode, StringComparison.Ordinal);
        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            await context.Database.MigrateAsync();
            Assert.False(context.Database.HasPendingModelChanges());
        }

        Assert.Equal(["true"], await MigrationsFixture.QueryAsync(database.OwnerConnectionString,
            "SELECT qual FROM pg_policies WHERE tablename = 'notes' AND policyname = 'crud-authenticated-policy-select'"));
    }

    [Fact]
    public async Task A_policy_removed_in_CSharp_is_dropped_by_the_next_migration_and_down_takes_it_back()
    {
        TestDatabase database = await fixture.Server.CreateDatabaseAsync();
        var project = await MigratedAsync(database, NoteSources.Owner);
        project.Entities = [NoteSources.RawPolicy];
        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            project.Add(context, "M2RawPolicy");
        }

        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            await context.Database.MigrateAsync();
            Assert.Equal(["notes-owner"], await MigrationsFixture.QueryAsync(database.OwnerConnectionString, PoliciesSql));

            string first = context.Database.GetMigrations().First();
            await context.GetService<IMigrator>().MigrateAsync(first);
            Assert.Equal(4, (await MigrationsFixture.QueryAsync(database.OwnerConnectionString, PoliciesSql)).Length);

            await context.GetService<IMigrator>().MigrateAsync(Migration.InitialDatabase);
            Assert.Empty(await MigrationsFixture.QueryAsync(database.OwnerConnectionString, "SELECT relname FROM pg_class WHERE relname = 'notes'"));
        }
    }

    [Fact]
    public async Task Migrations_script_holds_the_row_level_security_after_the_tables_it_needs_and_its_idempotent_form_runs_twice()
    {
        TestDatabase database = await fixture.Server.CreateDatabaseAsync();
        var project = await MigratedAsync(database, NoteSources.Owner);
        using DbContext context = project.Context(project.Build(), database.OwnerConnectionString);
        string script = context.GetService<IMigrator>().GenerateScript();
        int table = script.IndexOf("CREATE TABLE notes", StringComparison.Ordinal);
        int functions = script.IndexOf("CREATE SCHEMA IF NOT EXISTS auth", StringComparison.Ordinal);
        int rls = script.IndexOf("ENABLE ROW LEVEL SECURITY", StringComparison.Ordinal);
        int policy = script.IndexOf("CREATE POLICY \"crud-authenticated-policy-select\"", StringComparison.Ordinal);
        Assert.True(functions >= 0 && table > functions && rls > table && policy > table, script);

        // The idempotent script, run twice on a database of its own, leaves the policies once.
        string idempotent = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        TestDatabase other = await fixture.Server.CreateDatabaseAsync();
        for (int run = 0; run < 2; run++)
        {
            await MigrationsFixture.ExecuteAsync(other.OwnerConnectionString, idempotent);
        }

        Assert.Equal(4, (await MigrationsFixture.QueryAsync(other.OwnerConnectionString, PoliciesSql)).Length);
    }

    [Fact]
    public async Task A_context_carries_the_security_of_the_tables_it_maps_only()
    {
        TestDatabase database = await fixture.Server.CreateDatabaseAsync();
        var project = new EfProject { Entities = [NoteSources.Owner, NoteSources.Tag] };
        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            project.Add(context, "M1Initial");
        }

        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            await context.Database.MigrateAsync();
        }

        Assert.Equal(["notes"], await MigrationsFixture.QueryAsync(database.OwnerConnectionString,
            "SELECT DISTINCT tablename FROM pg_policies WHERE schemaname = 'public' ORDER BY 1"));
    }

    [Fact]
    public async Task A_column_a_policy_reads_is_retyped_between_the_policy_dropped_before_and_created_after_EFs_change()
    {
        // PostgreSQL refuses to retype a column a policy reads: the policies must be out of the way while EF alters it.
        string readsText = NoteSources.RawPolicy.Replace("= user_id\")]", "= user_id AND text <> ''\")]", StringComparison.Ordinal);
        Assert.NotEqual(NoteSources.RawPolicy, readsText);
        TestDatabase database = await fixture.Server.CreateDatabaseAsync();
        var project = new EfProject { Entities = [readsText] };
        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            project.Add(context, "M1Initial");
        }

        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            await context.Database.MigrateAsync();
        }

        project.Entities = [readsText.Replace("public string Text", "[MaxLength(200)] public string Text", StringComparison.Ordinal)];
        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            project.Add(context, "M2TextMaxLength");
        }

        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            await context.Database.MigrateAsync();
        }

        string cs = database.OwnerConnectionString;
        Assert.Equal(["character varying"], await MigrationsFixture.QueryAsync(cs,
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'text'"));
        Assert.Equal(["notes-owner"], await MigrationsFixture.QueryAsync(cs, PoliciesSql));
    }

    private async Task<EfProject> MigratedAsync(TestDatabase database, string entities)
    {
        var project = new EfProject { Entities = [entities] };
        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            project.Add(context, "M1Initial");
        }

        using (DbContext context = project.Context(project.Build(), database.OwnerConnectionString))
        {
            await context.Database.MigrateAsync();
        }

        Assert.Equal(4, (await MigrationsFixture.QueryAsync(database.OwnerConnectionString, PoliciesSql)).Length);
        return project;
    }
}
