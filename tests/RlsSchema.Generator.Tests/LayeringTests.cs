using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>The generator's flow runs one way: Parsing/ builds the Model/, the Emitting/ code writes it.</summary>
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

    private static string[] SourceFiles(string folder, [CallerFilePath] string testFile = "") =>
        Directory.GetFiles(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", "src", "RlsSchema.Generator", folder), "*.cs", SearchOption.AllDirectories);
}
