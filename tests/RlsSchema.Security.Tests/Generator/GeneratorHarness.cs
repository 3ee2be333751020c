using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RlsSchema.Security.Tests.Generator;

/// <summary>What one run of the generator over one source file produced.</summary>
/// <param name="InputErrors">C# errors in the source itself, before the generator ran.</param>
/// <param name="GeneratorDiagnostics">What the generator reported.</param>
/// <param name="OutputErrors">C# errors in the compilation once the generated code is added.</param>
/// <param name="Exceptions">Exceptions the generator threw (the driver catches them and reports CS8785).</param>
/// <param name="Script">The value of <c>RlsSchemaScript.Sql</c>, or null when none was generated.</param>
public sealed record GeneratorRun(
    ImmutableArray<Diagnostic> InputErrors,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> OutputErrors,
    IReadOnlyList<Exception> Exceptions,
    string? Script,
    SyntaxTree InputTree,
    Compilation OutputCompilation)
{
    /// <summary>The generator's own error diagnostics.</summary>
    public IEnumerable<Diagnostic> GeneratorErrors => GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>Runs the real RlsSchema generator in memory with <see cref="CSharpGeneratorDriver"/>.</summary>
public static class GeneratorHarness
{
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);
    private static readonly Lazy<Type[]> GeneratorTypes = new(FindGenerators);

    /// <summary>The generator's assembly, found through the project reference.</summary>
    public static Assembly GeneratorAssembly => Assembly.Load("RlsSchema.Generator");

    /// <summary>Compiles <paramref name="source"/>, runs the generator on it, and collects what came out.</summary>
    public static GeneratorRun Run(string source)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        SyntaxTree tree = CSharpSyntaxTree.ParseText(source, parseOptions, path: "Entity.cs");
        CSharpCompilation compilation = CSharpCompilation.Create(
            "HostileEntities",
            [tree],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        ImmutableArray<Diagnostic> inputErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        ISourceGenerator[] generators = GeneratorTypes.Value
            .Select(t => ((IIncrementalGenerator)Activator.CreateInstance(t)!).AsSourceGenerator())
            .ToArray();
        GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, parseOptions: parseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();

        var exceptions = result.Results.Where(r => r.Exception is not null).Select(r => r.Exception!).ToList();
        exceptions.AddRange(driverDiagnostics.Where(d => d.Id == "CS8785").Select(d => new InvalidOperationException(d.GetMessage())));
        ImmutableArray<Diagnostic> generatorDiagnostics = result.Diagnostics;
        ImmutableArray<Diagnostic> outputErrors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();

        return new GeneratorRun(inputErrors, generatorDiagnostics, outputErrors, exceptions, ReadScript(output, compilation), tree, output);
    }

    private static string? ReadScript(Compilation output, Compilation input)
    {
        foreach (SyntaxTree generated in output.SyntaxTrees.Except(input.SyntaxTrees))
        {
            SyntaxNode root = generated.GetRoot();
            ClassDeclarationSyntax? scriptClass = root.DescendantNodes().OfType<ClassDeclarationSyntax>()
                .FirstOrDefault(c => c.Identifier.ValueText == "RlsSchemaScript");
            VariableDeclaratorSyntax? sql = scriptClass?.DescendantNodes().OfType<VariableDeclaratorSyntax>()
                .FirstOrDefault(v => v.Identifier.ValueText == "Sql");
            if (sql?.Initializer is { } initializer)
            {
                // The semantic model folds concatenations and any literal form into the exact constant.
                object? value = output.GetSemanticModel(generated).GetConstantValue(initializer.Value).Value;
                return value as string;
            }
        }

        return null;
    }

    private static MetadataReference[] LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToHashSet(StringComparer.Ordinal);
        foreach (Assembly a in new[]
                 {
                     typeof(CrudPolicyAttribute).Assembly,
                     typeof(RlsSchema.Npgsql.IRlsSession).Assembly,
                     typeof(Dapper.SqlMapper).Assembly,
                     typeof(global::Npgsql.NpgsqlConnection).Assembly,
                     typeof(System.ComponentModel.DataAnnotations.KeyAttribute).Assembly,
                 })
        {
            paths.Add(a.Location);
        }

        return paths.Where(File.Exists).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }

    private static Type[] FindGenerators()
    {
        Type[] types = GeneratorAssembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IIncrementalGenerator).IsAssignableFrom(t) && t.GetCustomAttribute<GeneratorAttribute>() is not null)
            .ToArray();
        if (types.Length == 0)
        {
            throw new InvalidOperationException("RlsSchema.Generator has no [Generator] incremental generator.");
        }

        return types;
    }
}
