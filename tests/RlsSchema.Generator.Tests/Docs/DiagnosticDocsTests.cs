using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// docs/diagnostics.md, which every diagnostic's help link points at: one section per id whose title matches the
/// descriptor, and whose examples do what the page says (the wrong one gets the diagnostic, the right one gets none).
/// </summary>
public class DiagnosticDocsTests
{
    private const string Usings = """
        using System;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;
        namespace Docs;

        """;

    // No declaration is meant to get it: it stands for a failure of the generator itself.
    private const string Unprovoked = "RLS0021";

    // Provoked by the migrations folder, not by a declaration: their sections show folder contents, and
    // MigrationGenerationTests provokes each with real files.
    private static readonly string[] FromMigrationsFolder = ["RLS0100", "RLS0101", "RLS0102", "RLS0103", "RLS0104", "RLS0105"];

    public static IEnumerable<object[]> Ids() => DiagnosticDescriptors.All.Keys.Order(StringComparer.Ordinal).Select(id => new object[] { id });

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_diagnostic_links_to_its_own_section_of_the_page(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.All[id];
        Assert.Equal(DiagnosticDescriptors.HelpPage + "#" + id.ToLowerInvariant(), descriptor.HelpLinkUri);
        string section = Section(id);
        Assert.Contains("**" + descriptor.Title + "** (" + descriptor.DefaultSeverity.ToString().ToLowerInvariant() + ")", section);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task The_wrong_example_gets_the_diagnostic_and_the_right_one_gets_none(string id)
    {
        string section = Section(id);
        if (id == Unprovoked || FromMigrationsFolder.Contains(id))
        {
            Assert.DoesNotContain("Wrong:", section);
            return;
        }

        if (UsageDiagnosticDescriptors.All.Any(d => d.Id == id))
        {
            // Reported by an analyzer on code that uses the runtime, not by the generator on a declaration.
            (ImmutableArray<Diagnostic> wrongErrors, ImmutableArray<Diagnostic> wrongFound) = await GeneratorHarness.AnalyzeAsync(Usings + Example(section, "Wrong:"));
            Assert.Empty(wrongErrors);
            Assert.Contains(wrongFound, d => d.Id == id);
            (ImmutableArray<Diagnostic> rightErrors, ImmutableArray<Diagnostic> rightFound) = await GeneratorHarness.AnalyzeAsync(Usings + Example(section, "Right:"));
            Assert.Empty(rightErrors);
            Assert.Empty(rightFound);
            return;
        }

        // An example that names EF Core's attributes compiles in a project that references EF Core.
        bool efCore = section.Contains("Microsoft.EntityFrameworkCore.");
        GenerationResult wrong = GeneratorHarness.Run(Usings + Example(section, "Wrong:"), withEfCore: efCore);
        Assert.Contains(wrong.GeneratorDiagnostics, d => d.Id == id);

        GenerationResult right = GeneratorHarness.Run(Usings + Example(section, "Right:"), withEfCore: efCore);
        Assert.Empty(right.GeneratorDiagnostics);
        Assert.Empty(right.OutputErrors);
        Assert.NotNull(right.Sql);
    }

    [Fact]
    public void The_page_has_one_section_per_diagnostic_and_no_other()
    {
        string[] headings = Regex.Matches(Page(), @"^## (\S+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(DiagnosticDescriptors.All.Keys.Order(StringComparer.Ordinal), headings);
    }

    private static string Section(string id)
    {
        string page = Page();
        int start = page.IndexOf("\n## " + id + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/diagnostics.md has no section for " + id);
        int end = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? page.Substring(start) : page.Substring(start, end - start);
    }

    private static string Example(string section, string label)
    {
        Match match = Regex.Match(section, Regex.Escape(label) + @"\s*```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, "the section has no " + label + " example");
        return match.Groups[1].Value;
    }

    private static string Page() => RepositoryFiles.Read("docs/diagnostics.md").Replace("\r\n", "\n");
}
