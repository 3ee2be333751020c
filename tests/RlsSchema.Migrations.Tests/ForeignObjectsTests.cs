extern alias generator;

using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Cli;
using generator::RlsSchema.Generator.Emitting;
using generator::RlsSchema.Generator.Model;
using RlsSchema.Npgsql;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// RlsSchema manages only what it declared. A database that already holds another schema with its own RLS table and
/// policy (Supabase's <c>storage.objects</c>), a role the model never names, a function in <c>public</c> and one in
/// <c>auth</c> keeps all of them through <c>migrate</c> and a later migration, and <c>rlsschema diff</c> does not call
/// them drift; a stray policy on a model table still is.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ForeignObjectsTests(PostgresFixture fixture)
{
    private const string Foreign = """
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'storage_keeper') THEN CREATE ROLE storage_keeper NOLOGIN; END IF;
        END $$;
        CREATE SCHEMA storage;
        CREATE TABLE storage.objects (id bigint PRIMARY KEY, owner_id text NOT NULL, name text);
        CREATE INDEX objects_owner_idx ON storage.objects (owner_id);
        ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "keepers read" ON storage.objects FOR SELECT TO storage_keeper USING (owner_id = current_user);
        GRANT USAGE ON SCHEMA storage TO storage_keeper;
        GRANT SELECT ON storage.objects TO storage_keeper;
        CREATE FUNCTION public.touch() RETURNS integer LANGUAGE sql AS 'SELECT 1';
        CREATE SCHEMA auth;
        CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $fn$ SELECT current_setting('request.jwt.claim.role', true) $fn$;
        GRANT USAGE ON SCHEMA auth TO storage_keeper;
        INSERT INTO storage.objects VALUES (1, 'keeper', 'avatar.png');
        """;

    private static SchemaModel Model(bool withBody) => SchemaOf(Entity("notes",
        withBody ? [Key(), Column("owner", "text", defaultSql: "auth.user_id()"), Column("body", "text", nullable: true)] : [Key(), Column("owner", "text", defaultSql: "auth.user_id()")],
        [Policy("own", "ALL", "(select auth.user_id()) = owner", null)]));

    [Fact]
    public async Task Another_schemas_tables_policies_roles_and_functions_survive_migrate_and_are_not_drift_but_a_stray_policy_on_a_model_table_is()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, Foreign);
        var migrations = Migrations.From([(Model(withBody: false), []), (Model(withBody: true), [])]);
        Assert.Equal(2, migrations.Count);

        await using (var migrator = new RlsMigrator(database.OwnerConnectionString))
        {
            await migrator.MigrateAsync(migrations[..1]);
            await migrator.MigrateAsync(migrations);
        }

        string script = SqlScriptEmitter.Emit(Model(withBody: true));
        var (differences, plan) = await Commands.CompareWithModelAsync(database.OwnerConnectionString, script, CancellationToken.None);
        Assert.True(differences.Count == 0, Migrations.Describe(differences));
        Assert.True(plan.IsEmpty, plan.ToSql());

        Assert.Equal("avatar.png", await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT name FROM storage.objects"));
        Assert.Equal(true, await Migrations.ScalarAsync(database.OwnerConnectionString, """
            SELECT relrowsecurity FROM pg_class WHERE oid = 'storage.objects'::regclass
              AND EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = 'storage.objects'::regclass AND polname = 'keepers read')
              AND has_table_privilege('storage_keeper', 'storage.objects', 'SELECT')
              AND has_schema_privilege('storage_keeper', 'auth', 'USAGE')
              AND to_regprocedure('public.touch()') IS NOT NULL AND to_regprocedure('auth.role()') IS NOT NULL
            """));

        await Migrations.ExecuteAsync(database.OwnerConnectionString, "CREATE POLICY stray ON notes FOR SELECT TO storage_keeper USING (true);");
        var (drift, repair) = await Commands.CompareWithModelAsync(database.OwnerConnectionString, script, CancellationToken.None);
        Assert.Equal(["+ policy public.notes stray permissive for select to storage_keeper using true"], drift);
        Assert.Contains("DROP POLICY IF EXISTS \"stray\" ON notes;", repair.ToSql());
        Assert.DoesNotContain("storage.", repair.ToSql());
    }
}
