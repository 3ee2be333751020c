using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>The generator's flow runs one way: Parsing/ builds the Model/, the Emitting/ code writes it; the schema engine below it stands alone.</summary>
public class LayeringTests
{
    [Fact]
    public void The_parser_never_uses_the_emitters()
    {
        string[] offenders = SourceFiles("Parsing").Where(f => File.ReadAllText(f).Contains("Emitting")).ToArray();
        Assert.True(SourceFiles("Parsing").Length > 10);
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_model_knows_neither_the_parser_nor_the_emitters()
    {
        string[] offenders = SourceFiles("Model").Where(f => File.ReadAllText(f) is var text && (text.Contains("Parsing") || text.Contains("Emitting"))).ToArray();
        Assert.NotEmpty(SourceFiles("Model"));
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_migrations_never_use_the_parser()
    {
        string[] offenders = SourceFiles("Migrations").Where(f => File.ReadAllText(f).Contains("Parsing")).ToArray();
        Assert.NotEmpty(SourceFiles("Migrations"));
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_schema_engine_knows_neither_Roslyn_nor_the_generator()
    {
        string[] files = Directory.GetFiles(Project("RlsSchema.Schema"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)).ToArray();
        string[] offenders = files.Where(f => File.ReadAllText(f) is var text && (text.Contains("Microsoft.CodeAnalysis") || text.Contains("RlsSchema.Generator"))).ToArray();
        string project = File.ReadAllText(Path.Combine(Project("RlsSchema.Schema"), "RlsSchema.Schema.csproj"));
        Assert.True(files.Length > 5);
        Assert.Empty(offenders);
        Assert.DoesNotContain("PackageReference", project);
        Assert.DoesNotContain("ProjectReference", project);
    }

    private static string[] SourceFiles(string folder) =>
        Directory.GetFiles(Path.Combine(Project("RlsSchema.Generator"), folder), "*.cs", SearchOption.AllDirectories);

    private static string Project(string name, [CallerFilePath] string testFile = "") =>
        Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", "src", name);
}
