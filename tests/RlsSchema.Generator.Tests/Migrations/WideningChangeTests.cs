using System.Linq;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>RLS0105: a pending change that widens access, judged against the Todos sample's committed migrations.</summary>
public sealed class WideningChangeTests
{
    private const string OwnerPolicy = "[CrudPolicy(Role = \"authenticated\", Owner = nameof(UserId))]";

    private static readonly MigrationFolderFile[] SampleMigrations =
    [
        new("0001_Initial.sql", RepositoryFiles.Read("samples/Todos/Migrations/0001_Initial.sql")),
        new("0002_AddDueOn.sql", RepositoryFiles.Read("samples/Todos/Migrations/0002_AddDueOn.sql")),
        new("rls-model.json", RepositoryFiles.Read("samples/Todos/Migrations/rls-model.json")),
    ];

    private static string SampleTodo => RepositoryFiles.Read("samples/Todos/Todo.cs");

    [Fact]
    public void The_unchanged_Todos_sample_matches_its_migrations_and_widens_nothing()
    {
        Assert.Contains(OwnerPolicy, SampleTodo);

        GenerationResult result = GeneratorHarness.Run([SampleTodo], SampleMigrations);

        Assert.Equal("", result.PendingSql);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id is "RLS0100" or "RLS0105");
    }

    [Fact]
    public void Reading_every_todo_is_RLS0105_naming_the_table_role_and_command()
    {
        string open = SampleTodo.Replace(OwnerPolicy, "[CrudPolicy(Role = \"authenticated\", Owner = nameof(UserId), Read = Policies.True)]");

        GenerationResult result = GeneratorHarness.Run([open], SampleMigrations);

        var widening = result.GeneratorDiagnostics.Where(d => d.Id == "RLS0105").ToList();
        var warning = Assert.Single(widening);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("public.todos for role 'authenticated', command SELECT", warning.GetMessage());
        Assert.Contains("is now (true)", warning.GetMessage());
        Assert.DoesNotContain("no token", warning.GetMessage());
    }

    [Fact]
    public void Widening_for_anonymous_says_a_role_with_no_token_gains_access()
    {
        string open = SampleTodo.Replace(OwnerPolicy, OwnerPolicy + "\n[CrudPolicy(Role = \"anonymous\", Read = Policies.True, Modify = Policies.None)]");

        GenerationResult result = GeneratorHarness.Run([open], SampleMigrations);

        var messages = result.GeneratorDiagnostics.Where(d => d.Id == "RLS0105").Select(d => d.GetMessage()).ToList();
        Assert.Contains(messages, m => m.Contains("role 'anonymous', command SELECT") && m.Contains("a role with no token"));
        Assert.DoesNotContain(messages, m => m.Contains("role 'authenticated'"));
    }

    [Fact]
    public void A_change_that_narrows_access_is_pending_but_not_RLS0105()
    {
        string closed = SampleTodo.Replace(OwnerPolicy, "[CrudPolicy(Role = \"authenticated\", Owner = nameof(UserId), Modify = Policies.None)]");

        GenerationResult result = GeneratorHarness.Run([closed], SampleMigrations);

        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == "RLS0100");
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "RLS0105");
    }
}
