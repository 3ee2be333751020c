using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
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
        GenerationResult result = GeneratorHarness.Run(TeamsEntities.Sources, withEfCore: true);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputErrors);
        Snapshot.Verify(result.Sql!, "sql");
    }

    [Fact]
    public void Grants_follow_the_policies_unless_the_blanket_grants_property_is_set()
    {
        string leastPrivilege = GeneratorHarness.Run(TeamsEntities.Sources, withEfCore: true).Sql!;
        string blanket = RunWithProperty(TeamsEntities.Sources, "build_property.RlsSchemaBlanketGrants", "true");

        Assert.Contains("GRANT SELECT ON organizations TO authenticated;", leastPrivilege);
        Assert.Contains("ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, UPDATE, INSERT, DELETE ON TABLES FROM anonymous;", leastPrivilege);
        Assert.DoesNotContain("ON ALL TABLES", leastPrivilege);
        Assert.Contains("GRANT SELECT, UPDATE, INSERT, DELETE ON ALL TABLES IN SCHEMA public TO anonymous;", blanket);
        Assert.Contains("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, UPDATE, INSERT, DELETE ON TABLES TO authenticated;", blanket);
        Assert.DoesNotContain("REVOKE ALL ON organizations", blanket);
    }

    private static string RunWithProperty(IEnumerable<string> sources, string key, string value)
    {
        var compilation = GeneratorHarness.Compile(sources, withEfCore: true);
        var driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(
            new[] { new RlsSchemaGenerator().AsSourceGenerator() },
            parseOptions: GeneratorHarness.ParseOptions,
            optionsProvider: new BuildProperties(key, value));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        string text = result.GeneratedSources.Single(s => s.HintName == Emitting.ScriptSourceEmitter.HintName).SourceText.ToString();
        return text;
    }

    private sealed class BuildProperties(string key, string value) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
    {
        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions { get; } = new Options(key, value);

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(Microsoft.CodeAnalysis.SyntaxTree tree) => new Options("", "");

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(Microsoft.CodeAnalysis.AdditionalText textFile) => new Options("", "");

        private sealed class Options(string key, string value) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
        {
            public override bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? found)
            {
                found = name == key ? value : null;
                return found is not null;
            }
        }
    }
}
