using System.Linq;
using RlsSchema.Generator.Tests.Infrastructure;
using Xunit;

namespace RlsSchema.Generator.Tests;

public class RelationshipTests
{
    [Fact]
    public void Projects_script()
    {
        GenerationResult result = GeneratorHarness.Run(RelationshipEntities.Projects);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputErrors);
        Snapshot.Verify(result.Sql!, "sql");
    }

    [Fact]
    public void Cycle_script()
    {
        GenerationResult result = GeneratorHarness.Run(RelationshipEntities.Cycle);
        Assert.Empty(result.GeneratorDiagnostics);
        Snapshot.Verify(result.Sql!, "sql");
    }

    [Fact]
    public void Teams_script()
    {
        GenerationResult result = GeneratorHarness.Run(TeamsEntities.Source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputErrors);
        Snapshot.Verify(result.Sql!, "sql");
    }
}
