using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RlsSchema.Generator.Migrations;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Schema;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// Every C# block of the README compiles as pasted into a <c>dotnet new console</c> project that references the packages:
/// the blocks that declare types together, and each block of top-level statements as that project's Program.cs.
/// The generated SQL it shows is, statement by statement, what the generator emits for those declarations.
/// </summary>
public sealed partial class ReadmeTests
{
    // What `dotnet new console` turns on: ImplicitUsings=enable gives these global usings.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    // What Microsoft.NET.Sdk.Web adds to them, for a block that builds a WebApplication.
    private const string WebImplicitUsings = """
        global using System.Net.Http.Json;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    [Fact]
    public void The_readme_has_the_blocks_a_new_user_pastes()
    {
        var blocks = CSharpBlocks();

        Assert.Contains(blocks, b => b.Contains("[CrudPolicy(", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Contains("new TodoRepository(session)", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Contains("new RlsDataSourceBuilder(", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_csharp_block_of_the_readme_compiles_as_pasted()
    {
        var blocks = CSharpBlocks();
        var declarations = blocks.Where(b => !HasTopLevelStatements(b)).ToList();
        var programs = blocks.Where(HasTopLevelStatements).ToList();
        Assert.NotEmpty(programs);

        foreach (var program in programs)
        {
            string[] usings = program.Contains("WebApplication.", StringComparison.Ordinal) ? [ImplicitUsings, WebImplicitUsings] : [ImplicitUsings];
            var compilation = WithEfCore(GeneratorHarness.Compile([.. usings, .. declarations, program]))
                .WithOptions(new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
            // The project has run `dotnet rlsschema migrations add Initial`, as the README says: its Migrations folder holds
            // the first migration and the snapshot, which the generator embeds as RlsMigrations.
            var first = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out _, out _).GetRunResult();
            var initial = new GenerationResult(first, compilation, []);
            MigrationFolderFile[] folder = [new("0001_Initial.sql", initial.PendingSql!), new(MigrationFiles.SnapshotFileName, initial.ModelJson!)];
            GeneratorHarness.CreateDriver(files: folder).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

            var problems = generatorDiagnostics.Concat(output.GetDiagnostics())
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => d.ToString())
                .ToList();
            Assert.True(problems.Count == 0, "A README block does not compile as pasted:\n" + program + "\n" + string.Join("\n", problems));
        }
    }

    [Fact]
    public void Every_generated_sql_block_of_the_readme_is_what_the_generator_emits_for_its_entities()
    {
        var declarations = CSharpBlocks().Where(b => !HasTopLevelStatements(b));
        var result = GeneratorHarness.Run([ImplicitUsings, .. declarations], withEfCore: true);
        string script = result.Sql!;
        var shown = SqlBlocks().Where(b => b.StartsWith("CREATE TABLE", StringComparison.Ordinal) || b.StartsWith("CREATE POLICY", StringComparison.Ordinal)).ToList();

        Assert.Contains(shown, b => b.Contains("CREATE POLICY \"members-read\" ON tasks", StringComparison.Ordinal));
        foreach (var block in shown)
        {
            foreach (var statement in SqlStatement().Matches(block).Select(m => m.Value))
            {
                Assert.True(script.Contains(statement, StringComparison.Ordinal), "The README shows SQL the generator does not emit for its entities:\n" + statement);
            }
        }
    }

    // The EF Core block's attributes ([Comment], [Precision]) come from EF Core, which a consumer pasting it references.
    private static CSharpCompilation WithEfCore(CSharpCompilation compilation)
    {
        var present = compilation.References.Select(r => Path.GetFileName(r.Display ?? "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return compilation.AddReferences(Directory.GetFiles(AppContext.BaseDirectory, "Microsoft.EntityFrameworkCore*.dll")
            .Where(path => !present.Contains(Path.GetFileName(path)))
            .Select(path => MetadataReference.CreateFromFile(path)));
    }

    private static bool HasTopLevelStatements(string block) =>
        CSharpSyntaxTree.ParseText(block, GeneratorHarness.ParseOptions).GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();

    private static List<string> CSharpBlocks() =>
        CSharpBlock().Matches(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"))).Select(m => m.Groups[1].Value).ToList();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RlsSchema.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (RlsSchema.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static List<string> SqlBlocks() =>
        SqlBlock().Matches(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"))).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("^```sql\\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex SqlBlock();

    // A statement of a block: from the start of a line to the first semicolon that ends a line.
    [GeneratedRegex("^[A-Z].*?;$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex SqlStatement();

    [GeneratedRegex("^```csharp\\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
