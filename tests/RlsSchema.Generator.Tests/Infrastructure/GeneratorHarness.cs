using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RlsSchema.Generator.Analyzers;
using RlsSchema.Generator.Migrations;
using RlsSchema.Generator.Tests.Infrastructure;

namespace RlsSchema.Tests.Generation;

/// <summary>The generator tests' part of the shared harness: runs with a migrations folder.</summary>
public static partial class GeneratorHarness
{
    /// <summary>A driver that is passed <paramref name="files"/> as the build passes a migrations folder's files.</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<MigrationFolderFile> files)
    {
        var list = files.ToList();
        return CreateDriver(additionalTexts: list, optionsProvider: new MigrationFolderOptions(list));
    }

    /// <summary>
    /// Compiles <paramref name="source"/> (with the runtime referenced) and runs the package's analyzers over it: the
    /// compiler's errors, then the analyzers' diagnostics.
    /// </summary>
    public static async Task<(ImmutableArray<Diagnostic> CompileErrors, ImmutableArray<Diagnostic> Analyzers)> AnalyzeAsync(string source)
    {
        var compilation = Compile(new[] { source });
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        var analyzed = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DiscardedTransactionAnalyzer())).GetAnalyzerDiagnosticsAsync();
        return (errors, analyzed);
    }

    /// <summary>Runs the generator with the given migrations folder files passed in as the build passes them.</summary>
    public static GenerationResult Run(IEnumerable<string> sources, IEnumerable<MigrationFolderFile> files, bool withRuntime = true) =>
        Run(Compile(sources, withRuntime), CreateDriver(files));
}

/// <summary>The generator tests' part of the shared result: the migrations outputs, read by their internal hint names.</summary>
public sealed partial record GenerationResult
{
    /// <summary>The SQL the next migration would hold, or null.</summary>
    public string? PendingSql => Constant(MigrationsSourceEmitter.PendingHintName);

    /// <summary>The current model's snapshot, or null.</summary>
    public string? ModelJson => Constant(MigrationsSourceEmitter.ModelHintName);
}
