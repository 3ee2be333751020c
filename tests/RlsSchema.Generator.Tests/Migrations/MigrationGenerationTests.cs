using System.Linq;
using RlsSchema.Generator.Migrations;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Schema;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

public sealed class MigrationGenerationTests
{
    private const string TodoWithDueOn = """
        using System;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Todos;

        [Table("todos")]
        [CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
        public partial class Todo
        {
            [Key] public long Id { get; set; }
            [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";
            [Check("char_length(task) > 0")] public string Task { get; set; } = "";
            public bool IsComplete { get; set; }
            [DefaultSql("now()")] public DateTimeOffset InsertedAt { get; set; }
            public DateOnly? DueOn { get; set; }
        }
        """;

    private const string TodoRenamedAndShrunk = """
        using System;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Todos;

        [Table("tasks"), RenamedFrom("todos")]
        [CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
        public partial class Todo
        {
            [Key] public long Id { get; set; }
            [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";
            [RenamedFrom("task"), Check("char_length(title) > 0")] public string Title { get; set; } = "";
            [DefaultSql("now()")] public DateTimeOffset InsertedAt { get; set; }
        }
        """;

    [Fact]
    public void Without_a_snapshot_the_pending_migration_is_the_full_script_and_nothing_is_reported()
    {
        GenerationResult result = GeneratorHarness.Run([Entities.SeedTodo], []);

        Assert.Equal(result.Sql + "\n", result.PendingSql);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id.StartsWith("RLS01"));
        Assert.Contains("IReadOnlyList<global::RlsSchema.RlsMigration> All", result.Source(MigrationsSourceEmitter.MigrationsHintName));
    }

    [Fact]
    public void Migration_files_are_embedded_in_order_with_their_checksums_and_compile_without_the_runtime()
    {
        GenerationResult first = GeneratorHarness.Run([Entities.SeedTodo], []);
        MigrationFolderFile[] files =
        [
            new("0002_AddDueOn.sql", "ALTER TABLE todos ADD COLUMN due_on date;\r\n"),
            new("0001_Initial.sql", first.PendingSql!),
            new(MigrationFiles.SnapshotFileName, first.ModelJson!),
        ];

        GenerationResult result = GeneratorHarness.Run([Entities.SeedTodo], files, withRuntime: false);
        string source = result.Source(MigrationsSourceEmitter.MigrationsHintName)!;

        Assert.Empty(result.OutputErrors);
        Assert.True(source.IndexOf("(1L, @\"Initial\"") < source.IndexOf("(2L, @\"AddDueOn\""));
        Assert.Contains(MigrationFiles.Checksum("ALTER TABLE todos ADD COLUMN due_on date;\n"), source);
        Assert.Equal("", result.PendingSql);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "RLS0100");
    }

    [Fact]
    public void A_model_change_without_a_migration_is_RLS0100_and_its_SQL_is_pending()
    {
        GenerationResult before = GeneratorHarness.Run([Entities.SeedTodo], []);
        MigrationFolderFile[] files = [new("0001_Initial.sql", before.PendingSql!), new(MigrationFiles.SnapshotFileName, before.ModelJson!)];

        GenerationResult after = GeneratorHarness.Run([TodoWithDueOn], files);

        Assert.Contains(after.GeneratorDiagnostics, d => d.Id == "RLS0100" && d.GetMessage().Contains("dotnet rlsschema migrations add"));
        Assert.DoesNotContain(after.GeneratorDiagnostics, d => d.Id == "RLS0101");
        Assert.Contains("ALTER TABLE todos ADD COLUMN due_on date;", after.PendingSql);
        Assert.NotEqual(before.ModelJson, after.ModelJson);
    }

    [Fact]
    public void A_snapshot_with_the_earlier_auth_user_id_body_gets_it_replaced_and_the_other_functions_kept()
    {
        const string NewBody = "SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''), auth.session() ->> 'sub')";
        GenerationResult current = GeneratorHarness.Run([Entities.SeedTodo], []);
        Assert.Contains(NewBody, current.ModelJson);
        // The body ends the JSON string where it is auth.user_id()'s whole body (auth.uid() reads the same subject inside its own).
        string earlierSnapshot = current.ModelJson!.Replace(NewBody + "\"", "SELECT auth.session() ->> 'sub'\"");
        MigrationFolderFile[] files = [new("0001_Initial.sql", current.PendingSql!), new(MigrationFiles.SnapshotFileName, earlierSnapshot)];

        GenerationResult result = GeneratorHarness.Run([Entities.SeedTodo], files);

        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == "RLS0100");
        Assert.Contains("CREATE OR REPLACE FUNCTION auth.user_id() RETURNS text", result.PendingSql);
        Assert.Contains("AS $fn$ " + NewBody + " $fn$;", result.PendingSql);
        Assert.DoesNotContain("auth.session() RETURNS", result.PendingSql);
        Assert.DoesNotContain("auth.uid() RETURNS", result.PendingSql);
        Assert.DoesNotContain("ALTER TABLE", result.PendingSql);
        Assert.Equal(current.ModelJson, result.ModelJson);
    }

    [Fact]
    public void Renames_keep_the_data_and_a_dropped_column_is_flagged_as_destructive()
    {
        GenerationResult before = GeneratorHarness.Run([Entities.SeedTodo], []);
        MigrationFolderFile[] files = [new("0001_Initial.sql", before.PendingSql!), new(MigrationFiles.SnapshotFileName, before.ModelJson!)];

        GenerationResult after = GeneratorHarness.Run([TodoRenamedAndShrunk], files);
        string pending = after.PendingSql!;

        Assert.Contains("ALTER TABLE todos RENAME TO tasks;", pending);
        Assert.Contains("ALTER TABLE tasks RENAME COLUMN task TO title;", pending);
        Assert.Contains("ALTER INDEX public.todos_user_id_idx RENAME TO tasks_user_id_idx;", pending);
        Assert.Contains("-- DESTRUCTIVE: drops column public.tasks.is_complete and its data\nALTER TABLE tasks DROP COLUMN IF EXISTS is_complete;", pending);
        Assert.DoesNotContain("DROP TABLE", pending);
        Assert.True(pending.IndexOf("RENAME TO tasks;") < pending.IndexOf("RENAME COLUMN task TO title;"));
        Assert.Contains(after.GeneratorDiagnostics, d => d.Id == "RLS0101" && d.GetMessage().Contains("drops column public.tasks.is_complete"));
    }

    [Fact]
    public void Misnamed_and_duplicate_migration_files_and_a_broken_snapshot_are_errors_on_the_files()
    {
        GenerationResult before = GeneratorHarness.Run([Entities.SeedTodo], []);
        MigrationFolderFile[] files =
        [
            new("0001_Initial.sql", before.PendingSql!),
            new("0001_Again.sql", "SELECT 1;"),
            new("second.sql", "SELECT 1;"),
            new(MigrationFiles.SnapshotFileName, "{ \"format\": 1, \"roles\": [ }"),
        ];

        GenerationResult result = GeneratorHarness.Run([Entities.SeedTodo], files);
        var ids = result.GeneratorDiagnostics.Select(d => (d.Id, File: System.IO.Path.GetFileName(d.Location.GetLineSpan().Path))).ToList();

        Assert.Contains(("RLS0102", "second.sql"), ids);
        Assert.Contains(("RLS0103", "0001_Initial.sql"), ids);
        Assert.Contains(("RLS0104", MigrationFiles.SnapshotFileName), ids);
        Assert.DoesNotContain(ids, d => d.Id == "RLS0100");
    }

    [Fact]
    public void Migrations_without_their_snapshot_are_an_error()
    {
        // A model migration (it starts with the tool's header); application migrations alone need no snapshot.
        GenerationResult result = GeneratorHarness.Run([Entities.SeedTodo], [new MigrationFolderFile("0001_Initial.sql", ScriptWriter.HeaderLine + "\nSELECT 1;")]);

        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == "RLS0104" && d.GetMessage().Contains("missing"));
        Assert.Equal("", result.PendingSql);
    }

    [Fact]
    public void The_snapshot_reads_back_to_the_model_it_was_written_from()
    {
        GenerationResult result = GeneratorHarness.Run([Entities.SeedTodo, Entities.Blog, Entities.AllTypes], []);
        string json = result.ModelJson!;

        DatabaseModel read = SnapshotJson.Read(json);
        string snapshot = SnapshotJson.Write(read);

        Assert.Equal(json, SnapshotJson.WriteFull(read));
        Assert.Equal(snapshot, SnapshotJson.Write(SnapshotJson.Read(snapshot)));
        Assert.DoesNotContain("renamedFrom", snapshot);
        Assert.StartsWith("{\n  \"format\": 1,", json);
        Assert.Empty(ModelDiffer.Diff(read, read));
        Assert.Empty(ModelDiffer.Diff(SnapshotJson.Read(snapshot), read));
    }

    [Fact]
    public void The_model_the_build_writes_gives_the_tool_the_script_the_generator_writes()
    {
        GenerationResult result = GeneratorHarness.Run([Entities.SeedTodo, Entities.Blog, Entities.AllTypes], []);

        string script = ScriptWriter.Write(SnapshotJson.Read(result.ModelJson!));

        Assert.Equal(result.Sql, script);
        Assert.Equal(result.PendingSql, script + "\n");
    }
}
