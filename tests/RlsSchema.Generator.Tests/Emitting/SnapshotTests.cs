using System.Linq;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

public class SnapshotTests
{
    [Fact]
    public void Seed_todo_script()
    {
        GenerationResult result = GeneratorHarness.Run(Entities.SeedTodo);
        Assert.Empty(result.GeneratorDiagnostics);
        Snapshot.Verify(result.Sql!, "sql");
    }

    [Fact]
    public void Seed_todo_repository()
    {
        GenerationResult result = GeneratorHarness.Run(Entities.SeedTodo);
        Snapshot.Verify(result.Source("Todos.TodoRepository.g.cs")!, "cs");
    }

    [Fact]
    public void Seed_todo_script_constant()
    {
        GenerationResult result = GeneratorHarness.Run(Entities.SeedTodo);
        Snapshot.Verify(result.Source("RlsSchemaScript.g.cs")!, "cs");
    }

    [Fact]
    public void Blog_script()
    {
        GenerationResult result = GeneratorHarness.Run(Entities.Blog);
        Assert.Empty(result.GeneratorDiagnostics);
        Snapshot.Verify(result.Sql!, "sql");
    }

    [Fact]
    public void Blog_repository()
    {
        GenerationResult result = GeneratorHarness.Run(Entities.Blog);
        Snapshot.Verify(result.Source("Blogging.PostRepository.g.cs")!, "cs");
    }

    [Fact]
    public void Accounts_script()
    {
        GenerationResult result = GeneratorHarness.Run(AccountEntities.Source);
        Assert.Empty(result.GeneratorDiagnostics);
        Snapshot.Verify(result.Sql!, "sql");
    }

    [Fact]
    public void Accounts_invitation_repository()
    {
        GenerationResult result = GeneratorHarness.Run(AccountEntities.Source);
        Snapshot.Verify(result.Source("Accounts.InvitationRepository.g.cs")!, "cs");
    }

    [Fact]
    public void Every_type_script()
    {
        GenerationResult result = GeneratorHarness.Run(Entities.AllTypes);
        Assert.Empty(result.GeneratorDiagnostics);
        Snapshot.Verify(result.Sql!, "sql");
    }

    [Fact]
    public void Every_type_repository()
    {
        GenerationResult result = GeneratorHarness.Run(Entities.AllTypes);
        Snapshot.Verify(result.Source("Samples.EverythingRepository.g.cs")!, "cs");
    }

    [Fact]
    public void Tables_are_sorted_by_name_whatever_the_source_order()
    {
        GenerationResult forward = GeneratorHarness.Run(new[] { Entities.SeedTodo, Entities.Blog, Entities.AllTypes });
        GenerationResult backward = GeneratorHarness.Run(new[] { Entities.AllTypes, Entities.Blog, Entities.SeedTodo });
        Assert.Equal(forward.Sql, backward.Sql);
        string sql = forward.Sql!;
        Assert.True(sql.IndexOf("CREATE TABLE IF NOT EXISTS blog.posts") < sql.IndexOf("CREATE TABLE IF NOT EXISTS everything"));
        Assert.True(sql.IndexOf("CREATE TABLE IF NOT EXISTS everything") < sql.IndexOf("CREATE TABLE IF NOT EXISTS todos"));
    }
}
