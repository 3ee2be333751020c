using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RlsSchema.Generator.Emitting;

namespace RlsSchema.Generator.Tests.Infrastructure;

/// <summary>Runs the generator over C# source the way the compiler does, and exposes what came out.</summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> AllReferences = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    /// <summary>Compiles <paramref name="sources"/> against this test run's assemblies.</summary>
    /// <param name="sources">The C# files.</param>
    /// <param name="withRuntime">Whether RlsSchema.Npgsql is referenced.</param>
    /// <param name="withEfCore">Whether EF Core's assemblies are referenced, as in a project that has a <c>DbContext</c>.</param>
    public static CSharpCompilation Compile(IEnumerable<string> sources, bool withRuntime = true, bool withEfCore = false)
    {
        IEnumerable<MetadataReference> references = AllReferences.Value;
        if (!withRuntime)
        {
            references = references.Where(r => !Path.GetFileName(r.Display ?? "").Equals("RlsSchema.Npgsql.dll", StringComparison.OrdinalIgnoreCase));
        }

        if (!withEfCore)
        {
            references = references.Where(r => !IsEfCore(Path.GetFileName(r.Display ?? "")));
        }

        return CSharpCompilation.Create(
            "TestAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Entity{i}.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static bool IsEfCore(string file) =>
        file.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.OrdinalIgnoreCase)
        || file.StartsWith("EFCore.", StringComparison.OrdinalIgnoreCase)
        || file.StartsWith("Npgsql.EntityFrameworkCore", StringComparison.OrdinalIgnoreCase);

    public static GeneratorDriver CreateDriver(bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            new[] { new RlsSchemaGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public static GenerationResult Run(string source, bool withRuntime = true, bool withEfCore = false) => Run(new[] { source }, withRuntime, withEfCore);

    public static GenerationResult Run(IEnumerable<string> sources, bool withRuntime = true, bool withEfCore = false)
    {
        CSharpCompilation compilation = Compile(sources, withRuntime, withEfCore);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GenerationResult(driver.GetRunResult(), output, diagnostics);
    }
}

public sealed record GenerationResult(GeneratorDriverRunResult RunResult, Compilation Output, ImmutableArray<Diagnostic> Diagnostics)
{
    public GeneratorRunResult Generator => RunResult.Results.Single();

    public IEnumerable<Diagnostic> GeneratorDiagnostics => Generator.Diagnostics;

    public string? Source(string hintName) =>
        Generator.GeneratedSources.FirstOrDefault(s => s.HintName == hintName).SourceText?.ToString();

    /// <summary>The script, read back out of the generated constant (quotes un-doubled), or null.</summary>
    public string? Sql
    {
        get
        {
            string? source = Source(ScriptSourceEmitter.HintName);
            if (source is null)
            {
                return null;
            }

            const string marker = "public const string Sql = @\"";
            int start = source.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
            int end = source.LastIndexOf("\";", StringComparison.Ordinal);
            return source.Substring(start, end - start).Replace("\"\"", "\"");
        }
    }

    public IEnumerable<Diagnostic> OutputErrors =>
        Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
}
