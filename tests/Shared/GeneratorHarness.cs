using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RlsSchema.Generator;

namespace RlsSchema.Tests.Generation;

/// <summary>
/// Runs the RlsSchema generator over C# source in memory, the way the compiler does, and exposes what came out. One
/// file, linked into every project that drives the generator directly (generator tests, hostile-input tests, the
/// generator benchmark); a project adds its own helpers in a part of this class of its own.
/// </summary>
public static partial class GeneratorHarness
{
    /// <summary>The parse options of every tree the harness makes: the latest language version.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> AllReferences = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    /// <summary>Every assembly of the running process: the framework and whatever the calling project references.</summary>
    public static ImmutableArray<MetadataReference> ProcessReferences => AllReferences.Value;

    /// <summary>Compiles <paramref name="sources"/> (files <c>Entity0.cs</c>, <c>Entity1.cs</c>, ...) against the running process's assemblies.</summary>
    /// <param name="sources">The C# files.</param>
    /// <param name="withRuntime">Whether RlsSchema.Npgsql is referenced.</param>
    /// <param name="withEfCore">Whether EF Core's assemblies are referenced, as in a project that has a <c>DbContext</c>.</param>
    public static CSharpCompilation Compile(IEnumerable<string> sources, bool withRuntime = true, bool withEfCore = false)
    {
        IEnumerable<MetadataReference> references = ProcessReferences;
        if (!withRuntime)
        {
            references = references.Where(r => !Path.GetFileName(r.Display ?? "").Equals("RlsSchema.Npgsql.dll", StringComparison.OrdinalIgnoreCase));
        }

        if (!withEfCore)
        {
            references = references.Where(r => !IsEfCore(Path.GetFileName(r.Display ?? "")));
        }

        return Compile(sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Entity{i}.cs")), references);
    }

    /// <summary>Compiles <paramref name="trees"/> against <paramref name="references"/> into a library with nullable on.</summary>
    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, IEnumerable<MetadataReference> references, string assemblyName = "TestAssembly") =>
        CSharpCompilation.Create(
            assemblyName,
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>A driver holding the generator, as the compiler makes one.</summary>
    /// <param name="trackSteps">Whether the incremental steps are recorded (for cache checks).</param>
    /// <param name="additionalTexts">The build's additional files.</param>
    /// <param name="optionsProvider">The build's analyzer options.</param>
    public static GeneratorDriver CreateDriver(bool trackSteps = true, IEnumerable<AdditionalText>? additionalTexts = null, AnalyzerConfigOptionsProvider? optionsProvider = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new RlsSchemaGenerator().AsSourceGenerator() },
            additionalTexts: additionalTexts,
            parseOptions: ParseOptions,
            optionsProvider: optionsProvider,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs <paramref name="driver"/> (a fresh one when null) over <paramref name="compilation"/>.</summary>
    public static GenerationResult Run(Compilation compilation, GeneratorDriver? driver = null)
    {
        GeneratorDriver ran = (driver ?? CreateDriver()).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GenerationResult(ran.GetRunResult(), output, diagnostics);
    }

    /// <summary>Compiles <paramref name="source"/> and runs the generator over it.</summary>
    public static GenerationResult Run(string source, bool withRuntime = true, bool withEfCore = false) => Run(new[] { source }, withRuntime, withEfCore);

    /// <summary>Compiles <paramref name="sources"/> and runs the generator over them.</summary>
    public static GenerationResult Run(IEnumerable<string> sources, bool withRuntime = true, bool withEfCore = false) =>
        Run(Compile(sources, withRuntime, withEfCore));

    private static bool IsEfCore(string file) =>
        file.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.OrdinalIgnoreCase)
        || file.StartsWith("EFCore.", StringComparison.OrdinalIgnoreCase)
        || file.StartsWith("Npgsql.EntityFrameworkCore", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What one run of the generator produced.</summary>
/// <param name="RunResult">The driver's result.</param>
/// <param name="Output">The compilation with the generated files added.</param>
/// <param name="Diagnostics">What the driver reported (CS8785 when the generator threw).</param>
public sealed partial record GenerationResult(GeneratorDriverRunResult RunResult, Compilation Output, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>The hint name of the file that holds <c>RlsSchemaScript.Sql</c>.</summary>
    public const string ScriptHintName = "RlsSchemaScript.g.cs";

    /// <summary>The generator's run.</summary>
    public GeneratorRunResult Generator => RunResult.Results.Single();

    /// <summary>What the generator reported.</summary>
    public IEnumerable<Diagnostic> GeneratorDiagnostics => Generator.Diagnostics;

    /// <summary>The generator's own error diagnostics.</summary>
    public IEnumerable<Diagnostic> GeneratorErrors => GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Exceptions the generator threw (the driver catches them and reports CS8785).</summary>
    public IReadOnlyList<Exception> Exceptions =>
        RunResult.Results.Where(r => r.Exception is not null).Select(r => r.Exception!)
            .Concat(Diagnostics.Where(d => d.Id == "CS8785").Select(d => new InvalidOperationException(d.GetMessage())))
            .ToList();

    /// <summary>The text of the generated file <paramref name="hintName"/>, or null.</summary>
    public string? Source(string hintName) =>
        Generator.GeneratedSources.FirstOrDefault(s => s.HintName == hintName).SourceText?.ToString();

    /// <summary>The script, read back out of the generated <c>RlsSchemaScript.Sql</c> constant, or null when none was generated.</summary>
    public string? Sql => Constant(ScriptHintName);

    /// <summary>C# errors in the compilation once the generated code is added.</summary>
    public IEnumerable<Diagnostic> OutputErrors =>
        Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The value of the <c>Sql</c> constant in the generated file <paramref name="hintName"/>, or null.</summary>
    public string? Constant(string hintName)
    {
        string? source = Source(hintName);
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
