extern alias generator;

using System.Collections.Generic;
using System.Threading.Tasks;
using Npgsql;
using generator::RlsSchema.Generator.Migrations;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;
using RlsSchema.Npgsql;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary>Each kind of change the differ writes, applied to a table that holds rows, and the rows checked after.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DataPreservationTests(PostgresFixture fixture)
{
    private static readonly PolicyModel Own = Policy("own", "ALL", "(select auth.user_id()) = owner", null);

    private static EntityModel Notes(params ColumnModel[] extra) =>
        Entity("notes", [Key(), Column("owner", "text", defaultSql: "auth.user_id()"), .. extra], [Own]);

    [Fact]
    public async Task A_not_null_column_with_a_default_fills_existing_rows()
    {
        var (db, sql) = await MigrateAsync(SchemaOf(Notes()), SchemaOf(Notes(Column("priority", "integer", defaultSql: "3"))), "INSERT INTO notes (owner) VALUES ('a'), ('b')");

        Assert.Contains("ADD COLUMN priority integer not null default (3)", sql);
        Assert.Equal(6L, await Scalar(db, "SELECT sum(priority)::bigint FROM notes"));
    }

    [Fact]
    public async Task A_not_null_column_without_a_default_is_backfilled_and_says_so()
    {
        var (db, sql) = await MigrateAsync(SchemaOf(Notes()), SchemaOf(Notes(Column("title", "text"))), "INSERT INTO notes (owner) VALUES ('a')");

        Assert.Contains("-- Rows already in the table get '' in the new NOT NULL column", sql);
        Assert.Equal("", await Scalar(db, "SELECT title FROM notes"));
        Assert.Equal(true, await Scalar(db, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'notes'::regclass AND attname = 'title'"));
    }

    [Fact]
    public async Task Renamed_tables_and_columns_keep_their_rows()
    {
        var before = SchemaOf(Notes(Column("body", "text")));
        var renamedColumn = Column("content", "text");
        var after = SchemaOf(Notes(renamedColumn) with { TableName = "memos" });
        RenameInfo[] renames = [new("global::M.E_notes", null, "notes"), new("global::M.E_notes", "content", "body")];

        var (db, sql) = await MigrateAsync(before, after, "INSERT INTO notes (owner, body) VALUES ('a', 'kept')", renames);

        Assert.DoesNotContain("DROP", sql);
        Assert.Equal("kept", await Scalar(db, "SELECT content FROM memos"));
    }

    [Fact]
    public async Task A_widened_type_keeps_values_and_a_narrowed_one_is_marked_destructive()
    {
        var (db, sql) = await MigrateAsync(
            SchemaOf(Notes(Column("views", "integer"), Column("tag", "varchar(80)"))),
            SchemaOf(Notes(Column("views", "bigint"), Column("tag", "varchar(40)"))),
            "INSERT INTO notes (owner, views, tag) VALUES ('a', 2147483647, 'short')");

        Assert.Contains("ALTER COLUMN views TYPE bigint USING views::bigint;", sql);
        Assert.DoesNotContain("DESTRUCTIVE: changes public.notes.views", sql);
        Assert.Contains("-- DESTRUCTIVE: changes public.notes.tag from varchar(80) to varchar(40)", sql);
        Assert.Equal(2147483647L, await Scalar(db, "SELECT views FROM notes"));
        Assert.Equal("short", await Scalar(db, "SELECT tag FROM notes"));
    }

    [Fact]
    public async Task Nullability_and_defaults_change_and_nulls_get_the_default()
    {
        var (db, sql) = await MigrateAsync(
            SchemaOf(Notes(Column("status", "text", nullable: true), Column("score", "integer", defaultSql: "0"))),
            SchemaOf(Notes(Column("status", "text", defaultSql: "'open'"), Column("score", "integer", nullable: true, defaultSql: "10"))),
            "INSERT INTO notes (owner, status) VALUES ('a', NULL), ('b', 'done')");

        Assert.Contains("SET status = DEFAULT WHERE status IS NULL", sql);
        Assert.Equal("done,open", await Scalar(db, "SELECT string_agg(status, ',' ORDER BY status) FROM notes"));
        await Migrations.ExecuteAsync(db, "INSERT INTO notes (owner, score) VALUES ('c', NULL)");
        Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM notes WHERE score IS NULL"));
        await Migrations.ExecuteAsync(db, "INSERT INTO notes (owner) VALUES ('d')");
        Assert.Equal(10, await Scalar(db, "SELECT score FROM notes WHERE owner = 'd'"));
    }

    [Fact]
    public async Task Dropped_columns_and_tables_go_with_a_destructive_comment_and_the_rest_stays()
    {
        var archive = Entity("archive", [Key(), Column("owner", "text")], [Own]);
        var (db, sql) = await MigrateAsync(
            SchemaOf(Notes(Column("body", "text"), Column("old", "integer", nullable: true)), archive),
            SchemaOf(Notes(Column("body", "text"))),
            "INSERT INTO notes (owner, body, old) VALUES ('a', 'kept', 1)");

        Assert.Contains("-- DESTRUCTIVE: drops column public.notes.old and its data\nALTER TABLE notes DROP COLUMN IF EXISTS old;", sql);
        Assert.Contains("-- DESTRUCTIVE: drops table public.archive and every row in it\nDROP TABLE IF EXISTS archive;", sql);
        Assert.Null(await Scalar(db, "SELECT to_regclass('archive')::text"));
        Assert.Equal("kept", await Scalar(db, "SELECT body FROM notes"));
    }

    [Fact]
    public async Task Checks_indexes_and_force_rls_follow_the_model()
    {
        var before = SchemaOf(Notes(Column("body", "text")) with { Indexes = new[] { new IndexModel("notes_body_idx", new[] { "body" }.ToImmutableEquatableArray(), false) }.ToImmutableEquatableArray() });
        var after = SchemaOf(Notes(Column("body", "text")) with
        {
            TableChecks = new[] { new CheckModel(null, "char_length(body) < 10") }.ToImmutableEquatableArray(),
            Indexes = new[] { new IndexModel("notes_owner_body_idx", new[] { "owner", "body" }.ToImmutableEquatableArray(), true) }.ToImmutableEquatableArray(),
            ForceRowLevelSecurity = true,
        });

        var (db, _) = await MigrateAsync(before, after, "INSERT INTO notes (owner, body) VALUES ('a', 'short')");

        Assert.Equal("notes_owner_body_idx", await Scalar(db, "SELECT string_agg(indexname, ',') FROM pg_indexes WHERE tablename = 'notes' AND indexname <> 'notes_pkey'"));
        Assert.Equal(true, await Scalar(db, "SELECT relforcerowsecurity FROM pg_class WHERE oid = 'notes'::regclass"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Migrations.ExecuteAsync(db, "SET row_security = off; INSERT INTO notes (owner, body) VALUES ('b', 'far too long')"));
        Assert.Equal("23514", refused.SqlState);
        Assert.Equal("short", await Scalar(db, "SELECT body FROM notes"));
    }

    [Fact]
    public async Task A_policy_whose_expression_changes_is_altered_and_one_whose_command_changes_is_recreated()
    {
        var before = SchemaOf(Entity("notes", [Key(), Column("owner", "text")],
            [Policy("read", "SELECT", "(select auth.user_id()) = owner"), Policy("write", "UPDATE", "(select auth.user_id()) = owner")]));
        var after = SchemaOf(Entity("notes", [Key(), Column("owner", "text")],
            [Policy("read", "SELECT", "true", null, "authenticated", "anonymous"), Policy("write", "DELETE", "(select auth.user_id()) = owner")]));

        var (db, sql) = await MigrateAsync(before, after, "INSERT INTO notes (owner) VALUES ('a')");

        Assert.Contains("ALTER POLICY \"read\" ON notes\n  TO anonymous, authenticated\n  USING (true);", sql);
        Assert.Contains("DROP POLICY IF EXISTS \"write\" ON notes;", sql);
        Assert.Equal("read SELECT true {anonymous,authenticated};write DELETE", await Scalar(db,
            "SELECT string_agg(policyname || ' ' || cmd || CASE WHEN cmd = 'SELECT' THEN ' ' || qual || ' ' || roles::text ELSE '' END, ';' ORDER BY policyname) FROM pg_policies"));
        Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM notes"));
    }

    [Fact]
    public async Task A_foreign_key_is_added_over_existing_rows_its_action_changed_and_dropped_with_the_rows_kept()
    {
        static EntityModel Folders() => Entity("folders", [Key(), Column("owner", "text")], [Own]);
        static EntityModel Files(generator::RlsSchema.ReferentialAction? onDelete) =>
            Entity("files", [Key(), Column("owner", "text"), Column("folder_id", "bigint", nullable: true, property: "FolderId")], [Own]) with
            {
                ForeignKeys = onDelete is { } action
                    ? new[] { new ForeignKeyModel { PropertyNames = new[] { "FolderId" }.ToImmutableEquatableArray(), PrincipalEntity = "global::M.E_folders", OnDelete = action } }.ToImmutableEquatableArray()
                    : ImmutableEquatableArray<ForeignKeyModel>.Empty,
            };
        const string Seed = "INSERT INTO folders (id, owner) VALUES (1, 'a'), (2, 'a'); INSERT INTO files (owner, folder_id) VALUES ('a', 1), ('a', 2), ('a', NULL)";
        const string OnDelete = "SELECT confdeltype::text FROM pg_constraint WHERE conrelid = 'files'::regclass AND contype = 'f'";

        var (db, added) = await MigrateAsync(SchemaOf(Folders(), Files(null)), SchemaOf(Folders(), Files(generator::RlsSchema.ReferentialAction.Cascade)), Seed);
        Assert.Contains("ALTER TABLE files ADD CONSTRAINT files_folder_id_fkey FOREIGN KEY (folder_id) REFERENCES folders (id) ON DELETE CASCADE;", added);
        Assert.Equal("c", await Scalar(db, OnDelete));
        await Migrations.ExecuteAsync(db, "DELETE FROM folders WHERE id = 1");
        Assert.Equal(2L, await Scalar(db, "SELECT count(*) FROM files"));

        // ON DELETE SET NULL instead: the key is dropped and added again, the rows stay.
        var (db2, changed) = await MigrateAsync(SchemaOf(Folders(), Files(generator::RlsSchema.ReferentialAction.Cascade)), SchemaOf(Folders(), Files(generator::RlsSchema.ReferentialAction.SetNull)), Seed);
        Assert.Contains("DROP CONSTRAINT IF EXISTS files_folder_id_fkey;", changed);
        Assert.Equal("n", await Scalar(db2, OnDelete));
        await Migrations.ExecuteAsync(db2, "DELETE FROM folders WHERE id = 1");
        Assert.Equal(3L, await Scalar(db2, "SELECT count(*) FROM files"));
        Assert.Equal(2L, await Scalar(db2, "SELECT count(*) FROM files WHERE folder_id IS NULL"));

        // The navigation removed: the constraint goes, the column and its values stay.
        var (db3, dropped) = await MigrateAsync(SchemaOf(Folders(), Files(generator::RlsSchema.ReferentialAction.Cascade)), SchemaOf(Folders(), Files(null)), Seed);
        Assert.Contains("ALTER TABLE files DROP CONSTRAINT IF EXISTS files_folder_id_fkey;", dropped);
        Assert.Null(await Scalar(db3, OnDelete));
        Assert.Equal("1,2", await Scalar(db3, "SELECT string_agg(folder_id::text, ',' ORDER BY folder_id) FROM files"));
    }

    [Fact]
    public async Task Grants_follow_the_policies_and_a_role_the_model_drops_loses_its_privileges()
    {
        var before = SchemaOf(Entity("notes", [Key(), Column("owner", "text")],
            [Policy("read", "SELECT", "true", null, "editor"), Policy("own", "ALL", "(select auth.user_id()) = owner")]));
        var after = SchemaOf(Entity("notes", [Key(), Column("owner", "text")], [Policy("read", "SELECT", "true", null, "anonymous")]));

        var (db, _) = await MigrateAsync(before, after, "INSERT INTO notes (owner) VALUES ('a')");

        Assert.Equal("anonymous:SELECT", await Scalar(db,
            "SELECT string_agg(grantee || ':' || privilege_type, ',' ORDER BY grantee, privilege_type) FROM information_schema.role_table_grants WHERE table_name = 'notes' AND grantee IN ('anonymous', 'authenticated', 'editor')"));
        Assert.Equal(false, await Scalar(db, "SELECT has_schema_privilege('editor', 'auth', 'USAGE')"));
        Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM notes"));
    }

    private async Task<(string ConnectionString, string Sql)> MigrateAsync(SchemaModel before, SchemaModel after, string seed, IReadOnlyList<RenameInfo>? renames = null)
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        var migrations = Migrations.From([(before, []), (after, renames ?? [])]);
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        await migrator.MigrateAsync(migrations[..1]);
        await Migrations.ExecuteAsync(database.OwnerConnectionString, seed);
        await migrator.MigrateAsync(migrations);
        return (database.OwnerConnectionString, migrations[^1].Sql);
    }

    private static Task<object?> Scalar(string connectionString, string sql) => Migrations.ScalarAsync(connectionString, sql);
}
