using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RlsSchema.Generator.Emitting;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Parsing;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

public class IncrementalTests
{
    private static readonly string[] TrackedSteps = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    private static readonly string[] AlwaysRun =
    {
        TrackingNames.CrudPolicyEntities, TrackingNames.AllEntities, TrackingNames.Schema, TrackingNames.Diagnostics, TrackingNames.HasErrors,
        TrackingNames.HasRuntime, TrackingNames.Entities, TrackingNames.Repositories, TrackingNames.BlanketGrants, TrackingNames.Script,
        TrackingNames.MigrationFiles, TrackingNames.Renames, TrackingNames.Migrations,
    };

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(new[] { Entities.SeedTodo, Entities.Blog, "namespace Other; public class Unrelated { }" });
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree unrelated = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            unrelated,
            unrelated.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("namespace Other; public class Unrelated { public int Added { get; set; } }")));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertEveryStepCachedOrUnchanged(second);
    }

    [Fact]
    public void A_method_body_change_and_a_new_class_leave_every_step_cached_or_unchanged_and_the_output_the_same()
    {
        const string Clock = "namespace Other; public static class Clock { public static int Now() => 1; }";
        CSharpCompilation compilation = GeneratorHarness.Compile(new[] { Entities.SeedTodo, Entities.Blog, Entities.AllTypes, Clock });
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        string[] before = Sources(driver.GetRunResult().Results.Single());

        SyntaxTree clock = compilation.SyntaxTrees.Last();
        CSharpCompilation bodyChanged = compilation.ReplaceSyntaxTree(
            clock, clock.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Clock.Replace("=> 1;", "=> 2;", StringComparison.Ordinal))));
        driver = driver.RunGenerators(bodyChanged);
        GeneratorRunResult afterBody = driver.GetRunResult().Results.Single();
        AssertEveryStepCachedOrUnchanged(afterBody);
        Assert.Equal(before, Sources(afterBody));

        CSharpCompilation classAdded = bodyChanged.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Other; public sealed class Weather { public string Sky { get; set; } = \"\"; }", GeneratorHarness.ParseOptions, path: "Weather.cs"));
        GeneratorRunResult afterClass = driver.RunGenerators(classAdded).GetRunResult().Results.Single();
        AssertEveryStepCachedOrUnchanged(afterClass);
        Assert.Equal(before, Sources(afterClass));
    }

    private static string[] Sources(GeneratorRunResult result) =>
        result.GeneratedSources.Select(s => s.HintName + "\n" + s.SourceText).ToArray();

    private static void AssertEveryStepCachedOrUnchanged(GeneratorRunResult result)
    {
        Assert.Null(result.Exception);
        foreach (string step in TrackedSteps)
        {
            if (!result.TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> runs))
            {
                // A marker branch with no matching class records no step.
                Assert.DoesNotContain(step, AlwaysRun);
                continue;
            }

            foreach (IncrementalGeneratorRunStep run in runs)
            {
                foreach ((object _, IncrementalStepRunReason reason) in run.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"step {step} output was {reason}");
                }
            }
        }
    }

    [Fact]
    public void Moving_an_entity_down_a_line_does_not_regenerate_code()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(new[] { Entities.SeedTodo });
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        CSharpCompilation moved = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("\n" + Entities.SeedTodo)));
        GeneratorRunResult second = driver.RunGenerators(moved).GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.Schema, TrackingNames.Entities, TrackingNames.Repositories })
        {
            Assert.All(second.TrackedSteps[step].SelectMany(s => s.Outputs), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} output was {o.Reason}"));
        }
    }

    [Fact]
    public void Editing_one_entity_regenerates_its_repository_and_the_script_and_leaves_every_other_repository_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(new[] { Entities.SeedTodo, Entities.Blog, Entities.AllTypes });
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree todo = compilation.SyntaxTrees.First();
        string edited = Entities.SeedTodo.Replace("public bool IsComplete { get; set; }", "public bool IsComplete { get; set; }\n    public string? Note { get; set; }");
        Assert.NotEqual(Entities.SeedTodo, edited);

        GeneratorRunResult second = driver
            .RunGenerators(compilation.ReplaceSyntaxTree(todo, todo.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(edited))))
            .GetRunResult().Results.Single();

        Assert.Null(second.Exception);
        Assert.Equal(IncrementalStepRunReason.Modified, second.TrackedSteps[TrackingNames.Schema].Single().Outputs.Single().Reason);
        var repositories = second.TrackedSteps[TrackingNames.Repositories]
            .SelectMany(s => s.Outputs)
            .Select(o => (Entity: (((EntityModel Entity, bool HasRuntime))o.Value).Entity.ClassName, o.Reason))
            .ToList();
        Assert.Equal(new[] { "Everything", "Post", "Todo" }, repositories.Select(r => r.Entity).Order());
        Assert.All(repositories, r => Assert.Equal(
            r.Entity == "Todo" ? IncrementalStepRunReason.Modified : IncrementalStepRunReason.Cached,
            r.Reason));
        Assert.Contains("Note", second.GeneratedSources.Single(s => s.HintName == "Todos.TodoRepository.g.cs").SourceText.ToString());

        // The output callbacks: the script, Todo's repository and the migrations' outputs (the pending SQL and the model
        // snapshot hold every entity) ran again; the two other repositories did not, nor did AddRlsRepositories, whose
        // input (the repositories' names) the edit left as it was (the two diagnostics callbacks re-run on every edit by
        // design, but their diagnostics are the same).
        var callbacks = second.TrackedOutputSteps[WellKnownGeneratorOutputs.SourceOutput].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(8, callbacks.Count);
        Assert.Equal(3, callbacks.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(3, callbacks.Count(r => r == IncrementalStepRunReason.Cached));
        Assert.Equal(2, callbacks.Count(r => r == IncrementalStepRunReason.Unchanged));
        Assert.Equal(IncrementalStepRunReason.Unchanged, second.TrackedSteps[ServiceCollectionEmitter.RepositoryNamesStep].Single().Outputs.Single().Reason);
    }

    [Fact]
    public void No_step_output_holds_a_symbol_syntax_node_compilation_or_location()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(new[] { Entities.SeedTodo, Entities.Blog, Entities.AllTypes, Broken });
        GeneratorRunResult result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        int walked = 0;
        foreach (string step in TrackedSteps)
        {
            if (!result.TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> runs))
            {
                continue;
            }

            foreach (IncrementalGeneratorRunStep run in runs)
            {
                foreach ((object value, IncrementalStepRunReason _) in run.Outputs)
                {
                    Walk(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                    walked++;
                }
            }
        }

        Assert.True(walked > TrackedSteps.Length);
    }

    private const string Broken = """
        using RlsSchema;
        [CrudPolicy(Role = "authenticated", Owner = "Missing")]
        public class Broken { public int Id { get; set; } }
        """;

    private static void Walk(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Assert.False(value is ISymbol, $"{path} holds an ISymbol");
        Assert.False(value is SyntaxNode, $"{path} holds a SyntaxNode");
        Assert.False(value is SyntaxTree, $"{path} holds a SyntaxTree");
        Assert.False(value is Compilation, $"{path} holds a Compilation");
        Assert.False(value is SemanticModel, $"{path} holds a SemanticModel");
        Assert.False(value is Location, $"{path} holds a Location");
        Assert.False(value is AttributeData, $"{path} holds an AttributeData");

        Type type = value.GetType();
        if (type.Namespace?.StartsWith("Microsoft.CodeAnalysis.Text", StringComparison.Ordinal) == true)
        {
            return; // TextSpan and LinePositionSpan: plain structs
        }

        if (!type.IsValueType && !seen.Add(value))
        {
            return;
        }

        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (object? item in sequence)
            {
                Walk(item, $"{path}[{i++}]", seen);
            }

            if (type.IsArray || type.Name.StartsWith("ImmutableArray", StringComparison.Ordinal))
            {
                return;
            }
        }

        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(value), path + "." + field.Name, seen);
            }
        }
    }
}
