using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RlsSchema.Generator.Migrations;
using RlsSchema.Schema;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// Every C# block of the README and of the reference pages under docs/ (all but docs/diagnostics.md, whose examples
/// are wrong on purpose and have tests of their own) compiles as pasted into a <c>dotnet new console</c> project that
/// references the packages: the blocks that declare types together (a block shown on two pages counts once), and each
/// block of top-level statements as that project's Program.cs. The README's own example compiles with its own
/// declarations alone. The generated SQL the pages show is, statement by statement, what the generator emits for
/// those declarations.
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

    // The README and the reference pages, whose blocks the tests compile.
    private static readonly string[] Pages =
        ["README.md", .. Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "docs"), "*.md")
            .Select(path => "docs/" + Path.GetFileName(path))
            .Where(page => page != "docs/diagnostics.md")
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void The_readme_has_the_blocks_a_new_user_pastes()
    {
        var readme = CSharpBlocks("README.md");

        Assert.Contains(readme, b => b.Contains("[CrudPolicy(", StringComparison.Ordinal));
        Assert.Contains(readme, b => b.Contains("RlsMigrator.", StringComparison.Ordinal) && b.Contains("OpenSessionAsync(", StringComparison.Ordinal));
        Assert.Contains(readme, b => b.Contains("new TodoRepository(session)", StringComparison.Ordinal));
        Assert.Contains(CSharpBlocks(), b => b.Contains("new RlsDataSourceBuilder(", StringComparison.Ordinal));
    }

    [Fact]
    public void The_readme_is_short_and_links_every_reference_page()
    {
        string readme = RepositoryFiles.Read("README.md");

        Assert.True(readme.Split('\n').Length <= 250, "The README has grown past 250 lines; move the reference to a page under docs/.");
        Assert.True(Pages.Length > 1, "No reference page was found under docs/.");
        foreach (var page in Pages.Skip(1).Append("docs/diagnostics.md"))
        {
            Assert.True(readme.Contains("](" + page + ")", StringComparison.Ordinal), "The README does not link " + page);
        }
    }

    [Fact]
    public void The_readmes_example_compiles_on_its_own()
    {
        var blocks = CSharpBlocks("README.md");
        var programs = blocks.Where(HasTopLevelStatements).ToList();

        Assert.Single(programs);
        AssertCompiles(blocks.Where(b => !HasTopLevelStatements(b)).ToList(), programs[0]);
    }

    [Fact]
    public void Every_csharp_block_of_the_readme_compiles_as_pasted()
    {
        var blocks = CSharpBlocks();
        var declarations = blocks.Where(b => !HasTopLevelStatements(b)).ToList();
        var programs = blocks.Where(HasTopLevelStatements).ToList();
        Assert.True(programs.Count >= 3, "The README, the ASP.NET Core page and the configuration page each show a program.");

        foreach (var program in programs)
        {
            AssertCompiles(declarations, program);
        }
    }

    private static void AssertCompiles(List<string> declarations, string program)
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
        Assert.True(problems.Count == 0, "A block of the README or docs/ does not compile as pasted:\n" + program + "\n" + string.Join("\n", problems));
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
                Assert.True(script.Contains(statement, StringComparison.Ordinal), "The README or docs/ show SQL the generator does not emit for their entities:\n" + statement);
            }
        }
    }

    // The EF Core block's attributes ([Comment], [Precision]) come from EF Core, which a consumer pasting it references.
    private static CSharpCompilation WithEfCore(CSharpCompilation compilation)
    {
        var present = compilation.References.Select(r => Path.GetFileName(r.Display ?? "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // EF Core, its Npgsql provider and naming conventions: what an EF Core app that pastes the EF Core pages' blocks has.
        string[] patterns = ["Microsoft.EntityFrameworkCore*.dll", "Npgsql.EntityFrameworkCore*.dll", "EFCore.NamingConventions.dll"];
        return compilation.AddReferences(patterns.SelectMany(pattern => Directory.GetFiles(AppContext.BaseDirectory, pattern))
            .Where(path => !present.Contains(Path.GetFileName(path)))
            .Select(path => MetadataReference.CreateFromFile(path)));
    }

    private static bool HasTopLevelStatements(string block) =>
        CSharpSyntaxTree.ParseText(block, GeneratorHarness.ParseOptions).GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();

    // The C# blocks of the given pages (all of them by default); a block shown word for word on two pages counts once.
    private static List<string> CSharpBlocks(params string[] pages) =>
        (pages.Length == 0 ? Pages : pages)
            .SelectMany(page => CSharpBlock().Matches(RepositoryFiles.Read(page)).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static List<string> SqlBlocks() =>
        Pages.SelectMany(page => SqlBlock().Matches(RepositoryFiles.Read(page)).Select(m => m.Groups[1].Value)).ToList();

    [GeneratedRegex("^```sql\\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex SqlBlock();

    // A statement of a block: from the start of a line to the first semicolon that ends a line.
    [GeneratedRegex("^[A-Z].*?;$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex SqlStatement();

    [GeneratedRegex("^```csharp\\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
